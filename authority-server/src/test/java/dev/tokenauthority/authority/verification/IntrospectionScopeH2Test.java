package dev.tokenauthority.authority.verification;

import dev.tokenauthority.authority.testing.TestDatabase;

class IntrospectionScopeH2Test extends IntrospectionScopeContract {
    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.H2;
    }
}
