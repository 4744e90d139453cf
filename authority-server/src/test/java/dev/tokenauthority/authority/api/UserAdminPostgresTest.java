package dev.tokenauthority.authority.api;

import dev.tokenauthority.authority.testing.TestDatabase;

class UserAdminPostgresTest extends UserAdminContract {
    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.POSTGRESQL;
    }
}
