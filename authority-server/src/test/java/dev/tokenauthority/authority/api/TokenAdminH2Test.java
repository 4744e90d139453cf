package dev.tokenauthority.authority.api;

import dev.tokenauthority.authority.testing.TestDatabase;

class TokenAdminH2Test extends TokenAdminContract {
    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.H2;
    }
}
