package com.anycontact.innolicense.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.anycontact.innolicense.audit.AuditQuery;
import com.anycontact.innolicense.license.InstallationId;
import com.anycontact.innolicense.seat.Lease;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The backup and restore docs/cluster.md describes, with PostgreSQL's own tools: a cluster database backed up with
 * {@code pg_dump -Fc} while nothing serves it, restored with {@code pg_restore} into an empty database, and a node
 * started on the copy: the same installation and license, users, tokens, the audit log with its chain intact, the
 * leases of the backup, and claims that go on from the backup's claim sequence and tally.
 */
class ClusterBackupRestoreTest {

    @TempDir
    Path nodeData;

    @TempDir
    Path backups;

    private final FakeTime clock = new FakeTime(RunningServer.START);
    private TestPostgres original;
    private TestPostgres restored;
    private LicenseServer node;

    @AfterEach
    void stop() {
        if (node != null) {
            node.close();
        }
        if (restored != null) {
            restored.close();
        }
        if (original != null) {
            original.close();
        }
    }

    @Test
    void aBackupRestoredIntoAnEmptyDatabase_isTheSameInstallation_andServesOn() throws Exception {
        original = TestPostgres.create(getClass());
        node = original.startNode(nodeData, clock);
        Api api = Api.of(node);
        InstallationId installation = node.installationId();
        api.applyKey(installation, 1, 3);
        String acd = api.acdToken();
        Api.Reply alice = api.postJson(
                "/api/v1/users",
                RunningServer.ADMIN_TOKEN,
                "{\"username\": \"alice\", \"role\": \"SUPERVISOR\", \"password\": \"alice's long password\"}");
        assertThat(alice.status()).as(alice.body()).isEqualTo(201);
        claim(api, acd, "agent-1", 201);
        claim(api, acd, "agent-2", 201);
        List<Lease> leasesBefore = node.ledger().leases();
        int auditBefore = node.audit().find(AuditQuery.newest(1000)).size();
        node.close();
        node = null;

        restored = original.backUpAndRestore(backups);
        node = restored.startNode(nodeData, clock);
        api = Api.of(node);

        assertThat(node.installationId()).isEqualTo(installation);
        assertThat(api.get("/api/v1/license", RunningServer.ADMIN_TOKEN)
                        .json()
                        .path("capacity")
                        .asInt())
                .isEqualTo(3);
        assertThat(node.ledger().leases()).isEqualTo(leasesBefore);
        assertThat(node.audit().find(AuditQuery.newest(1000))).hasSizeGreaterThanOrEqualTo(auditBefore);
        assertThat(node.audit().verifyChain().intact()).isTrue();
        assertThat(api.postJson(
                                "/api/v1/session",
                                null,
                                "{\"username\": \"alice\", \"password\": \"alice's long password\"}")
                        .status())
                .isEqualTo(200);
        // The ACD token of the backup is valid; the tally and the claim sequence go on from the backup's.
        claim(api, acd, "agent-1", 200);
        claim(api, acd, "agent-3", 201);
        claim(api, acd, "agent-4", 409);
        assertThat(node.ledger().leases())
                .extracting(Lease::claimSequence)
                .doesNotHaveDuplicates()
                .last()
                .isEqualTo(leasesBefore.getLast().claimSequence() + 1);
        // Leases of the backup end by their TTL like any other: the seats come back without a release.
        clock.advance(Duration.ofMinutes(2));
        claim(api, acd, "agent-4", 201);
    }

    private static void claim(Api api, String token, String agent, int status) {
        Api.Reply reply = api.putJson("/api/v1/seats/" + agent, token, "{\"node\": \"acd-1\"}");
        assertThat(reply.status()).as(agent + ": " + reply.body()).isEqualTo(status);
    }
}
