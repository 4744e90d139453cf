package dev.tokenauthority.authority.feed;

import dev.tokenauthority.authority.testing.TestDatabase;

class RevocationFeedH2Test extends RevocationFeedContract {
    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.H2;
    }
}
