package com.anycontact.innolicense.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

    @ParameterizedTest
    @CsvSource({
        "500ms, PT0.5S",
        "60s, PT60S",
        "2m, PT2M",
        "1h, PT1H",
        "1d, PT24H",
        " 90s , PT90S",
        "PT90S, PT90S",
        "pt1m30s, PT90S"
    })
    void parse_readsShortFormsAndIso8601(String text, String iso) {
        assertThat(Durations.parse(text)).contains(Duration.parse(iso));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "5x", "60", "s", "-5s", "1.5m", "60 s", "P", "PTXS", "1M"})
    void parse_refusesAnythingElse(String text) {
        assertThat(Durations.parse(text)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"PT60S, 1m", "PT90S, 90s", "PT0.25S, 250ms", "PT2H, 2h", "PT0S, 0s"})
    void format_usesTheLargestExactUnit(String iso, String text) {
        assertThat(Durations.format(Duration.parse(iso))).isEqualTo(text);
    }
}
