package dev.tokenauthority.authority.metrics;

import dev.tokenauthority.authority.testing.TestDatabase;

class AuthorityMetricsH2Test extends AuthorityMetricsContract {
    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.H2;
    }
}
