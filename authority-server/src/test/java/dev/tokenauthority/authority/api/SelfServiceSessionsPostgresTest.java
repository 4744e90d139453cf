package dev.tokenauthority.authority.api;

import dev.tokenauthority.authority.testing.TestDatabase;

class SelfServiceSessionsPostgresTest extends SelfServiceSessionsContract {
    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.POSTGRESQL;
    }
}
