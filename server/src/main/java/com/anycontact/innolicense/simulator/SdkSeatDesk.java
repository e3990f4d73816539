package com.anycontact.innolicense.simulator;

import com.anycontact.innolicense.client.Lease;
import com.anycontact.innolicense.client.LicenseClient;
import com.anycontact.innolicense.client.LicenseServerException;
import com.anycontact.innolicense.client.SeatDeniedException;
import java.time.Instant;
import java.util.Set;

/** The {@link SeatDesk} over the Java SDK: one {@link LicenseClient} serves every simulated agent. */
final class SdkSeatDesk implements SeatDesk {

    /** Answers that no retry can turn: bad request, refused token, no seat API at this URL. */
    private static final Set<Integer> FATAL = Set.of(400, 401, 403, 404, 405);

    private final LicenseClient client;

    SdkSeatDesk(LicenseClient client) {
        this.client = client;
    }

    @Override
    public Claim claim(String agentId, String station, Runnable lost) {
        Lease lease;
        try {
            lease = client.claim(agentId, station);
        } catch (SeatDeniedException denied) {
            return new Claim.Denied(denied.capacity());
        } catch (LicenseServerException failed) {
            return new Claim.Failed(failed.getMessage(), FATAL.contains(failed.status()));
        } catch (IllegalStateException closed) {
            return new Claim.Failed(closed.getMessage(), false);
        }
        lease.addListener((ignored, loss) -> lost.run());
        return new Claim.Granted(new LeasedSeat(lease));
    }

    @Override
    public void close() {
        client.close();
    }

    private record LeasedSeat(Lease lease) implements HeldSeat {

        @Override
        public Instant expiresAt() {
            return lease.expiresAt();
        }

        @Override
        public void release() {
            lease.close();
        }

        @Override
        public void abandon() {
            lease.abandon();
        }
    }
}
