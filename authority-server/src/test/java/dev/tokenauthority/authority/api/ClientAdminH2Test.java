package dev.tokenauthority.authority.api;

import dev.tokenauthority.authority.testing.TestDatabase;

class ClientAdminH2Test extends ClientAdminContract {
    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.H2;
    }
}
