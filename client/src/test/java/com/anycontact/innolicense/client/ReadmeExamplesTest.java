package com.anycontact.innolicense.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Runs the usage example shown in {@link LicenseClient}'s Javadoc, docs/client-sdk.md and README.md against the fake
 * seat server, and checks that both show exactly the code between the tags below.
 */
class ReadmeExamplesTest {

    private static final Path SELF = Path.of("src/test/java/com/anycontact/innolicense/client/ReadmeExamplesTest.java");
    private static final Path JAVADOC = Path.of("src/main/java/com/anycontact/innolicense/client/LicenseClient.java");
    private static final Path GUIDE = Path.of("../docs/client-sdk.md");
    private static final Path README = Path.of("../README.md");

    /** The ACD's own code, as the example calls it. */
    interface Acd {
        void serve(Lease lease);

        void refuseLogin(String agentId, int capacity, int inUse);

        void logOut(String agentId, LeaseLoss.Reason reason);
    }

    /** An ACD that notes what it was asked to do. */
    static final class RecordingAcd implements Acd {
        final List<String> calls = new ArrayList<>();
        private final FakeSeatServer server;

        RecordingAcd(FakeSeatServer server) {
            this.server = server;
        }

        @Override
        public void serve(Lease lease) {
            calls.add("serve " + lease.agentId() + " at " + lease.station().orElseThrow() + ", held "
                    + (lease.isHeld() && server.seats().holds(lease.agentId())));
        }

        @Override
        public void refuseLogin(String agentId, int capacity, int inUse) {
            calls.add("refuse " + agentId + ": " + inUse + " of " + capacity);
        }

        @Override
        public void logOut(String agentId, LeaseLoss.Reason reason) {
            calls.add("log out " + agentId + ": " + reason);
        }
    }

    private final FakeSeatServer server =
            FakeSeatServer.start(new FakeSeatServer.Seats(1, Duration.ofSeconds(30), Duration.ofSeconds(10)));

    @AfterEach
    void stop() {
        server.close();
    }

    static void example(URI serverUrl, String acdToken, Acd acd) {
        // tag::example[]
        LicenseClient client = LicenseClient.builder()
                .server(serverUrl)
                .token(acdToken)
                .node("acd-node-1")
                .listener((lease, loss) -> acd.logOut(lease.agentId(), loss.reason()))
                .build();

        try (Lease lease = client.claim("agent-4711", "station-12")) {
            acd.serve(lease); // returns when the agent logs out; closing the lease releases the seat
        } catch (SeatDeniedException denied) {
            acd.refuseLogin("agent-4711", denied.capacity(), denied.inUse());
        }

        client.close(); // at shutdown: releases the seats still held
        // end::example[]
    }

    @Test
    void example_withASeatFree_servesTheAgentAndReleasesTheSeat() {
        RecordingAcd acd = new RecordingAcd(server);

        example(server.uri(), FakeSeatServer.TOKEN, acd);

        assertThat(acd.calls).containsExactly("serve agent-4711 at station-12, held true");
        assertThat(server.seats().holds("agent-4711")).isFalse();
        assertThat(server.seats().releases()).isEqualTo(1);
    }

    @Test
    void example_withEverySeatHeld_refusesTheLoginWithTheCounts() {
        server.seats().claim("agent-1", null, null);
        RecordingAcd acd = new RecordingAcd(server);

        example(server.uri(), FakeSeatServer.TOKEN, acd);

        assertThat(acd.calls).containsExactly("refuse agent-4711: 1 of 1");
    }

    @Test
    void javadocAndGuide_showTheExampleThisTestRuns() throws IOException {
        String example = between(Files.readString(SELF), "// tag::example[]\n", "        // end::example[]");

        String javadoc = between(Files.readString(JAVADOC), "<pre>{@code\n", " * }</pre>")
                .replaceAll("(?m)^ \\* ?", "");
        String guide = between(Files.readString(GUIDE), "```java\n", "```");
        String readme = between(Files.readString(README), "```java\n", "```");

        assertThat(javadoc).isEqualTo(unindent(example));
        assertThat(guide).isEqualTo(unindent(example));
        assertThat(readme).isEqualTo(unindent(example));
    }

    private static String between(String text, String start, String end) {
        Matcher block = Pattern.compile(Pattern.quote(start) + "(.*?)" + Pattern.quote(end), Pattern.DOTALL)
                .matcher(text);
        assertThat(block.find())
                .as("a block from %s to %s", start.strip(), end.strip())
                .isTrue();
        return block.group(1);
    }

    private static String unindent(String code) {
        int indent = code.lines()
                .filter(line -> !line.isBlank())
                .mapToInt(line -> line.length() - line.stripLeading().length())
                .min()
                .orElse(0);
        StringBuilder out = new StringBuilder();
        code.lines()
                .forEach(line ->
                        out.append(line.isBlank() ? "" : line.substring(indent)).append('\n'));
        return out.toString();
    }
}
