package dev.tokenauthority.authority.issuance;

import dev.tokenauthority.authority.testing.TestDatabase;

class RefreshReusePostgresTest extends RefreshReuseContract {
    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.POSTGRESQL;
    }
}
