package dev.tokenauthority.authority.api;

import dev.tokenauthority.authority.testing.TestDatabase;

class BulkRevocationRowsFollowPostgresTest extends BulkRevocationRowsFollowContract {
    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.POSTGRESQL;
    }
}
