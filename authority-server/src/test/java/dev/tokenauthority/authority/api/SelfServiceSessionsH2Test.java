package dev.tokenauthority.authority.api;

import dev.tokenauthority.authority.testing.TestDatabase;

class SelfServiceSessionsH2Test extends SelfServiceSessionsContract {
    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.H2;
    }
}
