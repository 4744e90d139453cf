package dev.tokenauthority.authority.activity;

import dev.tokenauthority.authority.testing.TestDatabase;

class ActivityStoreH2Test extends ActivityStoreContract {
    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.H2;
    }
}
