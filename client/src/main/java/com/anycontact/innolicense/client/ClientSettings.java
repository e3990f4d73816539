package com.anycontact.innolicense.client;

import java.net.URI;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;

/** What {@link LicenseClient.Builder} collected, already checked. */
record ClientSettings(
        List<URI> servers,
        String token,
        String node,
        LeaseListener listener,
        Duration requestTimeout,
        int renewalThreads,
        InstantSource clock) {}
