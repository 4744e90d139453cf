package dev.tokenauthority.sidecar.endtoend;

import dev.tokenauthority.authority.testing.TestDatabase;

class SidecarEndToEndH2Test extends SidecarEndToEndContract {
    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.H2;
    }
}
