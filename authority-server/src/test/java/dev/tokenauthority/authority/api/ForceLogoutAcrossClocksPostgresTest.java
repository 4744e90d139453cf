package dev.tokenauthority.authority.api;

import dev.tokenauthority.authority.testing.TestDatabase;

class ForceLogoutAcrossClocksPostgresTest extends ForceLogoutAcrossClocksContract {
    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.POSTGRESQL;
    }
}
