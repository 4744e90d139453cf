package dev.tokenauthority.authority.api;

import dev.tokenauthority.authority.testing.TestDatabase;

class AuditListingH2Test extends AuditListingContract {
    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.H2;
    }
}
