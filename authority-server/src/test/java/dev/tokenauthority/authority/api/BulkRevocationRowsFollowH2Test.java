package dev.tokenauthority.authority.api;

import dev.tokenauthority.authority.testing.TestDatabase;

class BulkRevocationRowsFollowH2Test extends BulkRevocationRowsFollowContract {
    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.H2;
    }
}
