package dev.tokenauthority.authority.api;

import dev.tokenauthority.authority.testing.TestDatabase;

class DirectoryAdminPostgresTest extends DirectoryAdminContract {
    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.POSTGRESQL;
    }
}
