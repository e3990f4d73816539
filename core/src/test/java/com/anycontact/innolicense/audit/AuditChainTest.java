package com.anycontact.innolicense.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The canonical form and hash of docs/audit-log.md#the-hash-chain, pinned by the test vector printed there (and in
 * docs/test-vectors/audit-chain.txt), which was computed independently of this code.
 */
class AuditChainTest {

    static final long AT = 1_800_003_600_000L; // 2027-01-15T09:00:00Z
    static final String FIRST = "7d56046d4bbb67fdfe47ee4ca05a787f4725d1567f22aee6247a568aa5a0ad3c";
    static final String SECOND = "cbb3c5f106bfc4231774f1946e4e401926d0c43a1850953c5fb885a992d9aeb8";

    @Test
    void canonical_isTheDocumentedBytes() {
        byte[] canonical = AuditChain.canonical(
                1,
                AT,
                "admin",
                "KEY_APPLIED",
                "license LIC-1, serial 1, 50 seats; state ACTIVE, capacity 50",
                AuditChain.GENESIS);

        assertThat(new String(canonical, StandardCharsets.UTF_8))
                .isEqualTo("innolicense-audit-v1\n1\n1800003600000\nKEY_APPLIED\n5:admin\n"
                        + "60:license LIC-1, serial 1, 50 seats; state ACTIVE, capacity 50\n" + "0".repeat(64));
    }

    @Test
    void hash_matchesTheTestVector_andLengthsCountUtf8Bytes() {
        String first = AuditChain.hash(
                1,
                AT,
                "admin",
                "KEY_APPLIED",
                "license LIC-1, serial 1, 50 seats; state ACTIVE, capacity 50",
                AuditChain.GENESIS);
        String second = AuditChain.hash(2, AT + 1500, "system", "LEASES_REAPED", "1 expired: Müller-7 ✓", first);

        assertThat(first).isEqualTo(FIRST);
        assertThat(second).isEqualTo(SECOND);
    }

    @Test
    void verifier_acceptsTheVectorsChain_andNamesAChangedEntry() {
        AuditChain.Entry one = new AuditChain.Entry(
                1,
                AT,
                "admin",
                "KEY_APPLIED",
                "license LIC-1, serial 1, 50 seats; state ACTIVE, capacity 50",
                AuditChain.GENESIS,
                FIRST);
        AuditChain.Entry two =
                new AuditChain.Entry(2, AT + 1500, "system", "LEASES_REAPED", "1 expired: Müller-7 ✓", FIRST, SECOND);
        AuditChain.Entry twoChanged =
                new AuditChain.Entry(2, AT + 1500, "system", "LEASES_REAPED", "0 expired", FIRST, SECOND);

        AuditChainReport intact = verify(List.of(one, two), new AuditChain.Link(2, SECOND));
        AuditChainReport changed = verify(List.of(one, twoChanged), new AuditChain.Link(2, SECOND));
        AuditChainReport removedFirst = verify(List.of(two), new AuditChain.Link(2, SECOND));

        assertThat(intact.intact()).isTrue();
        assertThat(intact.entries()).isEqualTo(2);
        assertThat(changed.firstBreak())
                .hasValueSatisfying(found -> assertThat(found.id()).isEqualTo(2));
        assertThat(removedFirst.firstBreak()).hasValueSatisfying(found -> {
            assertThat(found.id()).isEqualTo(2);
            assertThat(found.problem()).contains("does not follow the start of the log");
        });
    }

    private static AuditChainReport verify(List<AuditChain.Entry> entries, AuditChain.Link head) {
        AuditChain.Verifier verifier = AuditChain.verifier(0, AuditChain.GENESIS);
        entries.forEach(verifier::accept);
        return verifier.finish(Optional.of(head));
    }
}
