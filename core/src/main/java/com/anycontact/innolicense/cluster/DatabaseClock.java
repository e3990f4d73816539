package com.anycontact.innolicense.cluster;

import java.time.InstantSource;

/** The database's clock, which every node of a cluster measures its own against. */
public interface DatabaseClock {

    /**
     * Reads the database's clock once, reading {@code local} just before the query is sent and just after its
     * answer arrived.
     */
    ClockReading read(InstantSource local);
}
