package com.anycontact.innolicense.client;

import java.net.URI;
import java.time.Duration;
import java.time.InstantSource;

/** What {@link LicenseClient.Builder} collected, already checked. */
record ClientSettings(
        URI server,
        String token,
        String node,
        LeaseListener listener,
        Duration requestTimeout,
        int renewalThreads,
        InstantSource clock) {}
