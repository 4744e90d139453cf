package dev.tokenauthority.authority.api;

import dev.tokenauthority.authority.testing.TestDatabase;

class BulkRevocationH2Test extends BulkRevocationContract {
    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.H2;
    }
}
