package dev.tokenauthority.authority.api;

import dev.tokenauthority.authority.testing.TestDatabase;

class Rfc7009RevocationPostgresTest extends Rfc7009RevocationContract {
    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.POSTGRESQL;
    }
}
