package dev.tokenauthority.authority.api;

import dev.tokenauthority.authority.testing.TestDatabase;

class FeedAccessH2Test extends FeedAccessContract {
    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.H2;
    }
}
