package dev.tokenauthority.authority.activity;

import dev.tokenauthority.authority.testing.TestDatabase;

class ActivityH2Test extends ActivityContract {
    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.H2;
    }
}
