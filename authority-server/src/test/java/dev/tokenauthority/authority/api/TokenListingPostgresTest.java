package dev.tokenauthority.authority.api;

import dev.tokenauthority.authority.testing.TestDatabase;

class TokenListingPostgresTest extends TokenListingContract {
    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.POSTGRESQL;
    }
}
