package com.anycontact.innolicense.seat;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** {@link AgentId}'s hand-written check against {@link AgentId#RULE} written as a regular expression. */
class AgentIdPropertyTest {

    private static final Pattern RULE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@:-]{0,63}");

    @Property(tries = 2000)
    void parse_acceptsExactlyWhatTheRuleAccepts(@ForAll("nearlyAgentIds") String text) {
        assertThat(AgentId.parse(text).isPresent())
                .as("'%s'", text)
                .isEqualTo(RULE.matcher(text).matches());
    }

    /** Strings of 0 to 70 characters, mostly allowed ones, with some that are not. */
    @Provide
    Arbitrary<String> nearlyAgentIds() {
        return Arbitraries.strings()
                .withChars("aZ09._@:-")
                .withChars(" /åé\n+#")
                .withCharRange('!', '~')
                .ofMinLength(0)
                .ofMaxLength(70);
    }
}
