package dev.tokenauthority.authority.activity;

import dev.tokenauthority.authority.testing.TestDatabase;

class ActivityPostgresTest extends ActivityContract {
    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.POSTGRESQL;
    }
}
