package dev.tokenauthority.authority.feed;

import dev.tokenauthority.authority.testing.TestDatabase;

class RevocationFeedOrderPostgresTest extends RevocationFeedOrderContract {
    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.POSTGRESQL;
    }
}
