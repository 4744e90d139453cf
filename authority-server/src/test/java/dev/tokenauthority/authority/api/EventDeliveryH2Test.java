package dev.tokenauthority.authority.api;

import dev.tokenauthority.authority.testing.TestDatabase;

class EventDeliveryH2Test extends EventDeliveryContract {
    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.H2;
    }
}
