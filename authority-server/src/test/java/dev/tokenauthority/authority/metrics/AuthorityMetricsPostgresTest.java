package dev.tokenauthority.authority.metrics;

import dev.tokenauthority.authority.testing.TestDatabase;

class AuthorityMetricsPostgresTest extends AuthorityMetricsContract {
    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.POSTGRESQL;
    }
}
