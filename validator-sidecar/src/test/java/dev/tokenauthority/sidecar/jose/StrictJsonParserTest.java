package dev.tokenauthority.sidecar.jose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StrictJsonParserTest {

    @Test
    void parsesEveryKindOfValue() {
        Map<String, Object> object = StrictJsonParser.parseObject(
                " {\"s\":\"a\\\"b\\\\c\\/\\n\\u00e9\\ud83d\\ude00\",\"i\":-42,\"z\":-0,\"d\":1.5e3,\"t\":true,"
                        + "\"f\":false,\"n\":null,\"a\":[1,[],{}],\"o\":{\"k\":\"v\"}}\r\n");

        assertThat(object.get("s")).isEqualTo("a\"b\\c/\n\u00e9\ud83d\ude00");
        assertThat(object.get("i")).isEqualTo(-42L);
        assertThat(object.get("z")).isEqualTo(0L);
        assertThat(object.get("d")).isEqualTo(new StrictJsonParser.JsonDecimal("1.5e3"));
        assertThat(object.get("t")).isEqualTo(Boolean.TRUE);
        assertThat(object.get("f")).isEqualTo(Boolean.FALSE);
        assertThat(object.get("n")).isSameAs(StrictJsonParser.NULL);
        assertThat(object.get("a")).isEqualTo(List.of(1L, List.of(), Map.of()));
        assertThat(object.get("o")).isEqualTo(Map.of("k", "v"));
    }

    @Test
    void integersBeyondTheLongRangeAreKeptAsText() {
        assertThat(StrictJsonParser.parse("9223372036854775807")).isEqualTo(Long.MAX_VALUE);
        assertThat(StrictJsonParser.parse("9223372036854775808"))
                .isEqualTo(new StrictJsonParser.JsonDecimal("9223372036854775808"));
        assertThat(StrictJsonParser.parse("1e999999999")).isEqualTo(new StrictJsonParser.JsonDecimal("1e999999999"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"{\"a\":1,\"a\":2}", "{\"a\":1,\"\\u0061\":2}", "{\"o\":{\"x\":1,\"x\":1}}"})
    void rejectsDuplicateMemberNames(String json) {
        assertRejected(json);
    }

    @Test
    void rejectsNestingBeyondTheLimit() {
        int limit = StrictJsonParser.MAX_DEPTH;
        assertThat(StrictJsonParser.parse("[".repeat(limit) + "]".repeat(limit))).isNotNull();
        assertRejected("[".repeat(limit + 1) + "]".repeat(limit + 1));
        assertRejected("{\"a\":".repeat(limit + 1) + "1" + "}".repeat(limit + 1));
        assertRejected("[".repeat(100_000));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"", " ", "{", "}", "{\"a\"}", "{\"a\":}", "{a:1}", "{'a':1}", "{\"a\":1,}", "[1,]",
            "[,1]", "{\"a\":1}x", "{}{}", "01", "-", "1.", ".5", "1e", "+1", "0x10", "NaN", "Infinity", "tru",
            "nul", "True", "\"abc", "\"\\x\"", "\"\\u12G4\"", "\"\\ud800\"", "\"\\udc00\"", "\"\\ud800\\u0041\"",
            "\"a\u0001b\"", "\"tab\there\"", "\uFEFF{}", "\u00a0{}", "[1 2]", "{\"a\" 1}"})
    void rejectsInvalidJson(String json) {
        assertRejected(json);
    }

    @Test
    void parseObjectRejectsNonObjects() {
        assertThatThrownBy(() -> StrictJsonParser.parseObject("[]"))
                .isInstanceOf(StrictJsonParser.JsonSyntaxException.class);
    }

    private static void assertRejected(String json) {
        assertThatThrownBy(() -> StrictJsonParser.parse(json)).as(json)
                .isInstanceOf(StrictJsonParser.JsonSyntaxException.class);
    }
}
