package dev.tokenauthority.authority.token;

import dev.tokenauthority.authority.testing.TestDatabase;

class RefreshTokenLocksPostgresTest extends RefreshTokenLocksContract {

    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.POSTGRESQL;
    }
}
