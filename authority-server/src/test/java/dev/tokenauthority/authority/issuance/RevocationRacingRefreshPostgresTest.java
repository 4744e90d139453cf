package dev.tokenauthority.authority.issuance;

import dev.tokenauthority.authority.testing.TestDatabase;

class RevocationRacingRefreshPostgresTest extends RevocationRacingRefreshContract {
    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.POSTGRESQL;
    }
}
