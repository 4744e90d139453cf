package dev.tokenauthority.authority.api;

import dev.tokenauthority.authority.testing.TestDatabase;

class TokenListingH2Test extends TokenListingContract {
    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.H2;
    }
}
