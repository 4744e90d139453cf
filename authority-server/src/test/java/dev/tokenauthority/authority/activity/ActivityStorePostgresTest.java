package dev.tokenauthority.authority.activity;

import dev.tokenauthority.authority.testing.TestDatabase;

class ActivityStorePostgresTest extends ActivityStoreContract {
    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.POSTGRESQL;
    }
}
