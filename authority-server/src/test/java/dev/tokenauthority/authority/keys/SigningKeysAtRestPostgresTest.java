package dev.tokenauthority.authority.keys;

import dev.tokenauthority.authority.testing.TestDatabase;

class SigningKeysAtRestPostgresTest extends SigningKeysAtRestContract {

    @Override
    protected TestDatabase.Kind kind() {
        return TestDatabase.Kind.POSTGRESQL;
    }
}
