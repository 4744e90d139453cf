package dev.tokenauthority.authority.login;

import dev.tokenauthority.authority.testing.TestDatabase;

class LoginThrottlePostgresTest extends LoginThrottleContract {
    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.POSTGRESQL;
    }
}
