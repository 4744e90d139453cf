package dev.tokenauthority.authority.activity;

import dev.tokenauthority.authority.testing.TestDatabase;

class ActivityH2Test extends ActivityContract {
    ActivityH2Test() {
        super(TestDatabase.Kind.H2);
    }
}
