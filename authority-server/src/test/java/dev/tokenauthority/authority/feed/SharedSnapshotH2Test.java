package dev.tokenauthority.authority.feed;

import dev.tokenauthority.authority.testing.TestDatabase;

class SharedSnapshotH2Test extends SharedSnapshotContract {
    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.H2;
    }
}
