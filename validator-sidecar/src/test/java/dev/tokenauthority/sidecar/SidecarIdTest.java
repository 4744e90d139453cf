package dev.tokenauthority.sidecar;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * --sidecar-id: the name an operator gives is kept, and each process adds its own suffix, so pods of one deployment
 * given one name are listed and counted apart by the authority (it keys its fleet by id).
 */
class SidecarIdTest {

    @Test
    void aGivenNameGetsASuffixOfItsOwnInEveryProcess() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            String id = SidecarMain.withInstance("orders-api");
            assertThat(id).matches("orders-api/[0-9a-f]{6}");
            ids.add(id);
        }
        assertThat(ids).as("fifty processes given one name, told apart").hasSizeGreaterThan(45);
    }
}
