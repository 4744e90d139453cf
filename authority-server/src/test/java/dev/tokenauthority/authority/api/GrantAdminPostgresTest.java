package dev.tokenauthority.authority.api;

import dev.tokenauthority.authority.testing.TestDatabase;

class GrantAdminPostgresTest extends GrantAdminContract {
    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.POSTGRESQL;
    }
}
