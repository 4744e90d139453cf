package dev.tokenauthority.authority.api;

import dev.tokenauthority.authority.testing.TestDatabase;

class ForceLogoutRowsFollowPostgresTest extends ForceLogoutRowsFollowContract {
    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.POSTGRESQL;
    }
}
