package dev.tokenauthority.authority.api;

import dev.tokenauthority.authority.testing.TestDatabase;

class DirectoryAdminH2Test extends DirectoryAdminContract {
    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.H2;
    }
}
