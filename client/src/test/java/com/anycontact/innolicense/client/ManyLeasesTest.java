package com.anycontact.innolicense.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * One client holding a thousand leases renews them all on its few threads and releases them all on close.
 * Renewals run on real time (every 2 s); the server and the client judge expiry by one fake clock that stands
 * still, so that a busy machine slows the test down but cannot make a lease lapse.
 */
class ManyLeasesTest {

    private static final int LEASES = 1_000;
    private static final int RENEWAL_THREADS = 2;

    @Test
    void aThousandLeases_renewOnRenewalThreadsAlone_andCloseReleasesThemAll() throws Exception {
        FakeClock clock = new FakeClock(Instant.parse("2026-03-02T08:00:00Z"));
        FakeSeatServer.Seats seats =
                new FakeSeatServer.Seats(LEASES, Duration.ofSeconds(6), Duration.ofSeconds(2), clock);
        try (FakeSeatServer server = FakeSeatServer.start(seats)) {
            RecordingListener listener = new RecordingListener();
            LicenseClient client = LicenseClient.builder()
                    .server(server.uri())
                    .token(FakeSeatServer.TOKEN)
                    .renewalThreads(RENEWAL_THREADS)
                    .listener(listener)
                    .clock(clock)
                    .build();
            List<Lease> leases = new ArrayList<>();
            for (int i = 0; i < LEASES; i++) {
                leases.add(client.claim("agent-" + i, "station-" + i));
            }

            Await.until("a thousand renewals", Duration.ofSeconds(30), () -> seats.renewals() >= LEASES);

            assertThat(LicenseClientTest.clientThreads())
                    .as("threads of the client's own")
                    .hasSizeLessThanOrEqualTo(RENEWAL_THREADS + 1);
            assertThat(Thread.getAllStackTraces().keySet())
                    .as("no thread of the JDK's default HttpClient executor")
                    .noneMatch(thread -> thread.getName().matches("HttpClient-\\d+-Worker-\\d+"));
            assertThat(seats.claims()).isEqualTo(LEASES);
            assertThat(leases).allMatch(Lease::isHeld);
            assertThat(listener.all()).isEmpty();

            client.close();

            assertThat(seats.inUse()).isZero();
            assertThat(seats.releases()).isEqualTo(LEASES);
            assertThat(leases).noneMatch(Lease::isHeld);
        }
    }
}
