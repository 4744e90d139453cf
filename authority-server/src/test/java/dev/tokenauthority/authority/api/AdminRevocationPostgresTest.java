package dev.tokenauthority.authority.api;

import dev.tokenauthority.authority.testing.TestDatabase;

class AdminRevocationPostgresTest extends AdminRevocationContract {
    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.POSTGRESQL;
    }
}
