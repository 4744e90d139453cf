package dev.tokenauthority.authority.feed;

import dev.tokenauthority.authority.testing.TestDatabase;

class RevocationFeedPostgresTest extends RevocationFeedContract {
    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.POSTGRESQL;
    }
}
