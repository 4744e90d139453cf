package dev.tokenauthority.authority.api;

import dev.tokenauthority.authority.testing.TestDatabase;

class BulkRevocationPreviewPostgresTest extends BulkRevocationPreviewContract {
    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.POSTGRESQL;
    }
}
