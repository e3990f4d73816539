package com.anycontact.innolicense.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.anycontact.innolicense.license.TrustMode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Which other nodes a node on production trust names in its {@code DEVELOPMENT_TRUST_IN_CLUSTER} warning
 * (docs/trust.md, "Development trust in a cluster"): every other node on development trust, a missing one too (its
 * heartbeats may be what fails while it still serves), never itself, never one that does not say.
 */
class ClusterStatusDevelopmentTrustTest {

    private static final Instant T0 = Instant.parse("2027-01-15T09:00:00Z");

    @Test
    void everyOtherNodeOnDevelopmentTrust_isNamed_aMissingOneToo() {
        ClusterStatus status = status(
                node("self", Optional.of(TrustMode.PRODUCTION), false),
                node("dev-1", Optional.of(TrustMode.DEVELOPMENT), false),
                node("dev-2", Optional.of(TrustMode.DEVELOPMENT), true),
                node("old", Optional.empty(), false),
                node("prod", Optional.of(TrustMode.PRODUCTION), false));

        assertThat(status.developmentTrustWarning())
                .hasValueSatisfying(message -> assertThat(message)
                        .startsWith("Nodes http://dev-1:8080, http://dev-2:8080 of this cluster run on development"
                                + " trust")
                        .contains("Restart them without --development-trust")
                        .doesNotContain("http://old:8080", "http://prod:8080", "http://self:8080"));
    }

    @Test
    void noOtherNodeOnDevelopmentTrust_noWarning_evenWhenThisOneIs() {
        assertThat(status(
                                node("self", Optional.of(TrustMode.DEVELOPMENT), false),
                                node("old", Optional.empty(), false),
                                node("prod", Optional.of(TrustMode.PRODUCTION), true))
                        .developmentTrustWarning())
                .isEmpty();
    }

    private static ClusterStatus status(ClusterNode... nodes) {
        return new ClusterStatus(
                ClusterStatus.Mode.CLUSTER,
                "self",
                true,
                true,
                Optional.of(Duration.ZERO),
                Duration.ofSeconds(2),
                Optional.empty(),
                List.of(nodes));
    }

    private static ClusterNode node(String id, Optional<TrustMode> trust, boolean missing) {
        return new ClusterNode(
                id,
                "http://" + id + ":8080",
                "0.1.0",
                T0,
                T0,
                false,
                Optional.of(Duration.ZERO),
                Duration.ofSeconds(2),
                !missing,
                missing,
                trust);
    }
}
