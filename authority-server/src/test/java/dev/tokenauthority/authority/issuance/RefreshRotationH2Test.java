package dev.tokenauthority.authority.issuance;

import dev.tokenauthority.authority.testing.TestDatabase;

class RefreshRotationH2Test extends RefreshRotationContract {
    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.H2;
    }
}
