package dev.tokenauthority.authority.admin;

import dev.tokenauthority.authority.testing.TestDatabase;

class AdminTokenModelH2Test extends AdminTokenModelContract {
    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.H2;
    }
}
