package dev.tokenauthority.authority.api;

import dev.tokenauthority.authority.testing.TestDatabase;

class AdminRevocationH2Test extends AdminRevocationContract {
    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.H2;
    }
}
