package dev.tokenauthority.authority.verification;

import dev.tokenauthority.authority.testing.TestDatabase;

class IntrospectionScopePostgresTest extends IntrospectionScopeContract {
    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.POSTGRESQL;
    }
}
