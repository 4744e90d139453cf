package dev.tokenauthority.authority.feed;

import dev.tokenauthority.authority.testing.TestDatabase;

class SharedSnapshotPostgresTest extends SharedSnapshotContract {
    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.POSTGRESQL;
    }
}
