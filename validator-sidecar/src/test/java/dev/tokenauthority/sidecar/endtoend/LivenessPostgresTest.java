package dev.tokenauthority.sidecar.endtoend;

import dev.tokenauthority.authority.testing.TestDatabase;

class LivenessPostgresTest extends LivenessContract {
    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.POSTGRESQL;
    }
}
