package dev.tokenauthority.authority.listing;

import dev.tokenauthority.authority.testing.TestDatabase;

class ForgedPageTokenH2Test extends ForgedPageTokenContract {
    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.H2;
    }
}
