package com.anycontact.innolicense.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonTest {

    @Test
    void parseObject_readsEveryKindOfValue() {
        Map<String, Object> object =
                Json.parseObject(" {\"s\":\"text\",\"i\":42,\"d\":-0.5e1,\"t\":true,\"f\":false,\"n\":null,"
                        + "\"a\":[1,\"x\",[]],\"o\":{\"nested\":{}}} ");

        assertThat(object)
                .containsEntry("s", "text")
                .containsEntry("i", new BigDecimal("42"))
                .containsEntry("d", new BigDecimal("-0.5e1"))
                .containsEntry("t", true)
                .containsEntry("f", false)
                .containsEntry("n", null)
                .containsEntry("a", List.of(new BigDecimal("1"), "x", List.of()))
                .containsEntry("o", Map.of("nested", Map.of()));
    }

    @Test
    void parse_decodesEveryEscape() {
        assertThat(Json.parse("\"q\\\" b\\\\ s\\/ \\b\\f\\n\\r\\t \\u00e9\\ud83d\\ude00\""))
                .isEqualTo("q\" b\\ s/ \b\f\n\r\t é😀");
    }

    @Test
    void parse_keepsNonAsciiText() {
        assertThat(Json.parse("\"Zoë · 東京\"")).isEqualTo("Zoë · 東京");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                " ",
                "{",
                "{\"a\"}",
                "{\"a\":}",
                "{\"a\":1,}",
                "{a:1}",
                "[1,]",
                "[1 2]",
                "\"open",
                "\"bad \\x escape\"",
                "\"\\u12\"",
                "\"\\u12g4\"",
                "\"raw\ttab\"",
                "01",
                "-",
                "1.",
                "1e",
                ".5",
                "+1",
                "tru",
                "nul",
                "{} {}",
                "{}x",
                "NaN"
            })
    void parse_refusesWhatIsNotJson(String text) {
        assertThatThrownBy(() -> Json.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("not JSON: ");
    }

    @Test
    void parse_refusesNestingDeeperThanSixtyFour() {
        String deep = "[".repeat(100) + "]".repeat(100);

        assertThatThrownBy(() -> Json.parse(deep)).hasMessageContaining("nested deeper");
        assertThat(Json.parse("[".repeat(60) + "]".repeat(60))).isInstanceOf(List.class);
    }

    @Test
    void parseObject_refusesOtherValues() {
        assertThatThrownBy(() -> Json.parseObject("[]")).hasMessageContaining("not an object");
    }

    @Test
    void writeObject_escapesAndLeavesOutNulls() {
        Map<String, String> members = new LinkedHashMap<>();
        members.put("node", "acd \"1\"\\");
        members.put("station", null);
        members.put("ctl", "a\nb\u0001");

        String json = Json.writeObject(members);

        assertThat(json).isEqualTo("{\"node\":\"acd \\\"1\\\"\\\\\",\"ctl\":\"a\\nb\\u0001\"}");
        assertThat(Json.parseObject(json)).containsEntry("node", "acd \"1\"\\").containsEntry("ctl", "a\nb\u0001");
    }

    @Test
    void writeObject_ofNoMembers_isAnEmptyObject() {
        Map<String, String> members = new LinkedHashMap<>();
        members.put("node", null);

        assertThat(Json.writeObject(members)).isEqualTo("{}");
    }
}
