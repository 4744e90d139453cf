package dev.tokenauthority.sidecar.endtoend;

import dev.tokenauthority.authority.testing.TestDatabase;

class SidecarEndToEndPostgresTest extends SidecarEndToEndContract {
    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.POSTGRESQL;
    }
}
