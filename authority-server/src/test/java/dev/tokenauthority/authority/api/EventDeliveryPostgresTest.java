package dev.tokenauthority.authority.api;

import dev.tokenauthority.authority.testing.TestDatabase;

class EventDeliveryPostgresTest extends EventDeliveryContract {
    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.POSTGRESQL;
    }
}
