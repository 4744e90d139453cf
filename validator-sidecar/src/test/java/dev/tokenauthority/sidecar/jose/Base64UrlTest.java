package dev.tokenauthority.sidecar.jose;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class Base64UrlTest {

    @Test
    void decodesWhatTheJdkEncoderProducesForEveryLength() {
        Random random = new Random(42);
        for (int length = 0; length < 200; length++) {
            byte[] bytes = new byte[length];
            random.nextBytes(bytes);
            String encoded = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
            assertThat(Base64Url.decode(encoded)).isEqualTo(bytes);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"QQ==", "QQ=", "QUI=", "A", "QR", "QUJ", "QU+C", "QU/C", "QU C", "QU\nC", "QUJD\u00e9",
            "QUJD!"})
    void rejectsPaddingNonCanonicalBitsAndForeignCharacters(String text) {
        assertThat(Base64Url.decode(text)).as(text).isNull();
    }

    @Test
    void decodesARangeOfALongerString() {
        assertThat(Base64Url.decode("xx.QUJD.yy", 3, 7)).isEqualTo(new byte[] {'A', 'B', 'C'});
    }
}
