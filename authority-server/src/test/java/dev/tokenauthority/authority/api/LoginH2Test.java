package dev.tokenauthority.authority.api;

import dev.tokenauthority.authority.testing.TestDatabase;

class LoginH2Test extends LoginContract {
    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.H2;
    }
}
