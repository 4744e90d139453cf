package dev.tokenauthority.authority.api;

import dev.tokenauthority.authority.testing.TestDatabase;

class TokenAdminPostgresTest extends TokenAdminContract {
    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.POSTGRESQL;
    }
}
