package dev.tokenauthority.authority.token;

import dev.tokenauthority.authority.testing.TestDatabase;

class RefreshTokenLocksH2Test extends RefreshTokenLocksContract {

    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.H2;
    }
}
