package dev.tokenauthority.authority.api;

import dev.tokenauthority.authority.testing.TestDatabase;

class SigningKeyRevocationH2Test extends SigningKeyRevocationContract {
    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.H2;
    }
}
