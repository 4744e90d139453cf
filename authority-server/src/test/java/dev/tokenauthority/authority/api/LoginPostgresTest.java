package dev.tokenauthority.authority.api;

import dev.tokenauthority.authority.testing.TestDatabase;

class LoginPostgresTest extends LoginContract {
    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.POSTGRESQL;
    }
}
