package dev.tokenauthority.authority.api;

import dev.tokenauthority.authority.testing.TestDatabase;

class ForceLogoutRowsFollowH2Test extends ForceLogoutRowsFollowContract {
    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.H2;
    }
}
