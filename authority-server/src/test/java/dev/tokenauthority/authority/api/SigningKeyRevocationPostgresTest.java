package dev.tokenauthority.authority.api;

import dev.tokenauthority.authority.testing.TestDatabase;

class SigningKeyRevocationPostgresTest extends SigningKeyRevocationContract {
    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.POSTGRESQL;
    }
}
