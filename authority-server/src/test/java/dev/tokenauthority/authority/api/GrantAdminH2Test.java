package dev.tokenauthority.authority.api;

import dev.tokenauthority.authority.testing.TestDatabase;

class GrantAdminH2Test extends GrantAdminContract {
    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.H2;
    }
}
