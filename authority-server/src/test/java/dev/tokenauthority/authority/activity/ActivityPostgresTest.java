package dev.tokenauthority.authority.activity;

import dev.tokenauthority.authority.testing.TestDatabase;

class ActivityPostgresTest extends ActivityContract {
    ActivityPostgresTest() {
        super(TestDatabase.Kind.POSTGRESQL);
    }
}
