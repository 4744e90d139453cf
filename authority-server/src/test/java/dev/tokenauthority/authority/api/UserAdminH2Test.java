package dev.tokenauthority.authority.api;

import dev.tokenauthority.authority.testing.TestDatabase;

class UserAdminH2Test extends UserAdminContract {
    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.H2;
    }
}
