package dev.tokenauthority.authority.api;

import dev.tokenauthority.authority.testing.TestDatabase;

class IntrospectionAndIssuancePostgresTest extends IntrospectionAndIssuanceContract {
    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.POSTGRESQL;
    }
}
