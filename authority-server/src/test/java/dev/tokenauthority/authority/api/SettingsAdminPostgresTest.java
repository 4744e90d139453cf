package dev.tokenauthority.authority.api;

import dev.tokenauthority.authority.testing.TestDatabase;

class SettingsAdminPostgresTest extends SettingsAdminContract {
    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.POSTGRESQL;
    }
}
