package dev.tokenauthority.authority.admin;

import dev.tokenauthority.authority.testing.TestDatabase;

class AdminTokenModelPostgresTest extends AdminTokenModelContract {
    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.POSTGRESQL;
    }
}
