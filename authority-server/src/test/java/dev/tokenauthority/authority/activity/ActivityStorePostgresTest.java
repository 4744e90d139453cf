package dev.tokenauthority.authority.activity;

import dev.tokenauthority.authority.testing.TestDatabase;

class ActivityStorePostgresTest extends ActivityStoreContract {
    ActivityStorePostgresTest() {
        super(TestDatabase.Kind.POSTGRESQL);
    }
}
