package dev.tokenauthority.authority.api;

import dev.tokenauthority.authority.testing.TestDatabase;

class BulkRevocationPreviewH2Test extends BulkRevocationPreviewContract {
    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.H2;
    }
}
