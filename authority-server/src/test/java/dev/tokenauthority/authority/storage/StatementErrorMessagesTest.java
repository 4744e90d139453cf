package dev.tokenauthority.authority.storage;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenauthority.authority.testing.TestDatabase;
import org.jdbi.v3.core.statement.StatementException;
import org.junit.jupiter.api.Test;

/** A failing statement's message, which may be logged, names the SQL but never the values bound to it. */
class StatementErrorMessagesTest {

    @Test
    void boundValuesStayOutOfTheMessage() throws Exception {
        try (TestDatabase test = TestDatabase.h2();
             Database database = Database.open(test.url(), test.user(), test.password(), 2)) {
            String secretHash = "secret-hash-that-must-not-be-logged";
            assertThatThrownBy(() -> database.jdbi().useHandle(h -> h.createUpdate(
                            "INSERT INTO refresh_tokens (id, secret_hash) VALUES (:id, :hash)")
                    .bind("id", "rt_x").bind("hash", secretHash).execute()))
                    .isInstanceOf(StatementException.class)
                    .hasMessageContaining("INSERT INTO refresh_tokens")
                    .hasMessageNotContaining(secretHash);
        }
    }
}
