package dev.tokenauthority.authority.fleet;

import dev.tokenauthority.authority.testing.TestDatabase;

class SidecarRowsH2Test extends SidecarRowsContract {
    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.H2;
    }
}
