package dev.tokenauthority.authority.api;

import dev.tokenauthority.authority.testing.TestDatabase;

class AuthApiH2Test extends AuthApiContract {
    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.H2;
    }
}
