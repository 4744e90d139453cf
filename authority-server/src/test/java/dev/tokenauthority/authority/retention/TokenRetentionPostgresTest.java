package dev.tokenauthority.authority.retention;

import dev.tokenauthority.authority.testing.TestDatabase;

class TokenRetentionPostgresTest extends TokenRetentionContract {
    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.POSTGRESQL;
    }
}
