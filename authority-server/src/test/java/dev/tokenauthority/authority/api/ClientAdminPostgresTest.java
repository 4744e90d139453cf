package dev.tokenauthority.authority.api;

import dev.tokenauthority.authority.testing.TestDatabase;

class ClientAdminPostgresTest extends ClientAdminContract {
    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.POSTGRESQL;
    }
}
