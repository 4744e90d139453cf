package dev.tokenauthority.authority.api;

import dev.tokenauthority.authority.testing.TestDatabase;

class AuthApiPostgresTest extends AuthApiContract {
    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.POSTGRESQL;
    }
}
