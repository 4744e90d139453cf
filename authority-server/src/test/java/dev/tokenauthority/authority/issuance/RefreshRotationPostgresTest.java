package dev.tokenauthority.authority.issuance;

import dev.tokenauthority.authority.testing.TestDatabase;

class RefreshRotationPostgresTest extends RefreshRotationContract {
    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.POSTGRESQL;
    }
}
