package dev.tokenauthority.authority.login;

import dev.tokenauthority.authority.testing.TestDatabase;

class LoginThrottleH2Test extends LoginThrottleContract {
    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.H2;
    }
}
