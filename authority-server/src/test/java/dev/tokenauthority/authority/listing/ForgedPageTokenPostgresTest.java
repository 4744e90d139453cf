package dev.tokenauthority.authority.listing;

import dev.tokenauthority.authority.testing.TestDatabase;

class ForgedPageTokenPostgresTest extends ForgedPageTokenContract {
    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.POSTGRESQL;
    }
}
