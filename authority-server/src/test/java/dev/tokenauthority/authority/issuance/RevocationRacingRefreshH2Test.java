package dev.tokenauthority.authority.issuance;

import dev.tokenauthority.authority.testing.TestDatabase;

class RevocationRacingRefreshH2Test extends RevocationRacingRefreshContract {
    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.H2;
    }
}
