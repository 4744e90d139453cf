package dev.tokenauthority.sidecar.endtoend;

import dev.tokenauthority.authority.testing.TestDatabase;

class LivenessRacePostgresTest extends LivenessRaceContract {
    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.POSTGRESQL;
    }
}
