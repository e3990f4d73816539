package com.anycontact.innolicense.seat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AgentIdTest {

    @ParameterizedTest
    @ValueSource(strings = {"a", "7", "alice", "Alice.Smith", "agent_42", "a-b", "alice@example.com", "sip:1001"})
    void parse_acceptsLettersDigitsAndTheAllowedPunctuation(String text) {
        assertThat(AgentId.parse(text)).contains(new AgentId(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " alice", "alice ", ".alice", "-alice", "@alice", "al ice", "al/ice", "ålice", "a\nb"})
    void parse_rejectsOtherText(String text) {
        assertThat(AgentId.parse(text)).isEmpty();
    }

    @Test
    void parse_acceptsSixtyFourCharactersButNotSixtyFive() {
        assertThat(AgentId.parse("a".repeat(64))).isPresent();
        assertThat(AgentId.parse("a".repeat(65))).isEmpty();
    }

    @Test
    void parse_ofNull_isEmpty() {
        assertThat(AgentId.parse(null)).isEmpty();
    }

    @Test
    void agentIds_differingInCase_areDifferentAgents() {
        assertThat(new AgentId("alice")).isNotEqualTo(new AgentId("Alice"));
    }

    @Test
    void constructor_withBadText_explainsTheRule() {
        assertThatThrownBy(() -> new AgentId("no spaces"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(AgentId.RULE);
    }
}
