package dev.tokenauthority.sidecar.endtoend;

import dev.tokenauthority.authority.testing.TestDatabase;

class LivenessRaceH2Test extends LivenessRaceContract {
    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.H2;
    }
}
