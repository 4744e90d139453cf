package dev.tokenauthority.authority.retention;

import dev.tokenauthority.authority.testing.TestDatabase;

class TokenRetentionH2Test extends TokenRetentionContract {
    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.H2;
    }
}
