package dev.tokenauthority.authority.fleet;

import dev.tokenauthority.authority.testing.TestDatabase;

class SidecarRowsPostgresTest extends SidecarRowsContract {
    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.POSTGRESQL;
    }
}
