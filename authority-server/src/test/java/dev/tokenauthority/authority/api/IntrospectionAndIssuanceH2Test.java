package dev.tokenauthority.authority.api;

import dev.tokenauthority.authority.testing.TestDatabase;

class IntrospectionAndIssuanceH2Test extends IntrospectionAndIssuanceContract {
    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.H2;
    }
}
