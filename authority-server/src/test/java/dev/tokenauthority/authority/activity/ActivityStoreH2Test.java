package dev.tokenauthority.authority.activity;

import dev.tokenauthority.authority.testing.TestDatabase;

class ActivityStoreH2Test extends ActivityStoreContract {
    ActivityStoreH2Test() {
        super(TestDatabase.Kind.H2);
    }
}
