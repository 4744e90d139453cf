package dev.tokenauthority.authority.api;

import dev.tokenauthority.authority.testing.TestDatabase;

class FeedAccessPostgresTest extends FeedAccessContract {
    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.POSTGRESQL;
    }
}
