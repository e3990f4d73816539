package com.anycontact.innolicense.seat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ClaimRequestTest {

    private static final AgentId ALICE = new AgentId("alice");

    @ParameterizedTest
    @ValueSource(
            strings = {
                "acd-1",
                "acd-node-2.example.com",
                "Desk 7",
                "Büro 3 (Empfang)",
                "Platz #12",
                "10.0.0.5:8080",
                "x"
            })
    void isValidLabel_acceptsNodeAndStationNames(String text) {
        assertThat(ClaimRequest.isValidLabel(text)).isTrue();
        assertThat(new ClaimRequest(ALICE, text, text).node()).isEqualTo(text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", " desk", "desk ", "desk\t7", "desk\n7", "<script>", "a;b", "\"quoted\""})
    void isValidLabel_rejectsBlankControlAndMarkupCharacters(String text) {
        assertThat(ClaimRequest.isValidLabel(text)).isFalse();
    }

    @Test
    void isValidLabel_limitsTheLength() {
        assertThat(ClaimRequest.isValidLabel("n".repeat(ClaimRequest.MAX_LABEL_LENGTH)))
                .isTrue();
        assertThat(ClaimRequest.isValidLabel("n".repeat(ClaimRequest.MAX_LABEL_LENGTH + 1)))
                .isFalse();
    }

    @Test
    void of_namesOnlyTheAgent() {
        assertThat(ClaimRequest.of(ALICE)).isEqualTo(new ClaimRequest(ALICE, null, null));
    }

    @Test
    void constructor_withBadStation_explainsTheRule() {
        assertThatThrownBy(() -> new ClaimRequest(ALICE, "acd-1", "desk\u00007"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(ClaimRequest.LABEL_RULE);
    }
}
