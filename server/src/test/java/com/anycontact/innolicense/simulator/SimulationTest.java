package com.anycontact.innolicense.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Simulated agents on fake time against a fake seat desk: the patterns, denials, crashes, losses and the end. */
class SimulationTest {

    private static final Instant START = Instant.parse("2026-11-20T08:00:00Z");
    private static final Duration HOUR = Duration.ofHours(1);
    private static final Duration TTL = Duration.ofSeconds(60);

    private final FakeTimeline timeline = new FakeTimeline(START);

    private FakeSeatDesk desk(int capacity) {
        return new FakeSeatDesk(timeline, capacity, TTL);
    }

    private Simulation simulate(FakeSeatDesk desk, int agents, LoadPattern pattern, double crashRate) {
        return Simulation.start(timeline, desk, SimulationSettings.of(agents, pattern, HOUR, crashRate, 42));
    }

    private Instant at(double shareOfHour) {
        return START.plus(Duration.ofMillis((long) (HOUR.toMillis() * shareOfHour)));
    }

    @Test
    void shift_logsEveryAgentInDuringTheFirstQuarterAndOutDuringTheLast() {
        FakeSeatDesk desk = desk(100);
        Simulation simulation = simulate(desk, 40, LoadPattern.SHIFT, 0);

        timeline.runUntil(at(0.5));
        int heldMidShift = simulation.progress().held();
        timeline.runUntil(at(0.99));

        Map<String, List<FakeSeatDesk.Event>> byAgent =
                desk.events().stream().collect(Collectors.groupingBy(FakeSeatDesk.Event::agentId));
        assertThat(byAgent).hasSize(40);
        byAgent.values().forEach(events -> {
            assertThat(events.getFirst().what()).isEqualTo("claim");
            assertThat(events.getFirst().at()).isBefore(at(0.25));
            assertThat(events.getLast().what()).isEqualTo("release");
            assertThat(events.getLast().at()).isAfterOrEqualTo(at(0.75)).isBefore(at(0.95));
        });
        assertThat(heldMidShift).isBetween(24, 40);
        assertThat(simulation.progress().held()).isZero();
        assertThat(desk.inUse()).isZero();
    }

    @Test
    void shift_breaksReleaseTheSeatAndClaimItAgainLater() {
        FakeSeatDesk desk = desk(100);
        Simulation simulation = simulate(desk, 40, LoadPattern.SHIFT, 0);

        timeline.runUntil(at(1));

        Progress progress = simulation.progress();
        assertThat(progress.claims()).isGreaterThan(80);
        assertThat(progress.releases()).isEqualTo(progress.claims());
        assertThat(progress.denials()).isZero();
        List<FakeSeatDesk.Event> one = desk.eventsOf("sim-agent-0001");
        for (int i = 1; i < one.size() - 1; i += 2) {
            FakeSeatDesk.Event release = one.get(i);
            FakeSeatDesk.Event back = one.get(i + 1);
            assertThat(release.what()).isEqualTo("release");
            assertThat(back.what()).isEqualTo("claim");
            assertThat(Duration.between(release.at(), back.at()))
                    .isBetween(Duration.ofSeconds(108), Duration.ofSeconds(288));
        }
    }

    @Test
    void shift_nextCycle_startsAnotherShiftWhenTheSimulationKeepsRunning() {
        FakeSeatDesk desk = desk(100);
        simulate(desk, 10, LoadPattern.SHIFT, 0);

        timeline.runUntil(at(1.25));

        assertThat(desk.events("claim").stream()
                        .filter(e -> e.at().isAfter(at(1)))
                        .map(FakeSeatDesk.Event::agentId)
                        .distinct())
                .hasSize(10);
    }

    @Test
    void warmStart_logsInAtOnceTheAgentsWhoseLoginFellBeforeTheStart() {
        FakeSeatDesk desk = desk(100);
        Simulation.start(timeline, desk, new SimulationSettings(100, "agent-", LoadPattern.SHIFT, HOUR, 0, 42, 0.1));

        timeline.runUntil(START);

        assertThat(desk.events("claim")).hasSizeBetween(25, 55);
    }

    @Test
    void denied_agentRetriesWithGrowingBackoffUntilItsShiftEnds() {
        FakeSeatDesk desk = desk(0);
        Simulation simulation = simulate(desk, 1, LoadPattern.SHIFT, 0);

        timeline.runUntil(at(1));

        List<Instant> tries =
                desk.events("denied").stream().map(FakeSeatDesk.Event::at).toList();
        List<Duration> gaps = new ArrayList<>();
        for (int i = 1; i < tries.size(); i++) {
            gaps.add(Duration.between(tries.get(i - 1), tries.get(i)));
        }
        assertThat(gaps.getFirst()).isBetween(Duration.ofMillis(2_500), Duration.ofSeconds(5));
        assertThat(gaps.get(1)).isBetween(Duration.ofSeconds(5), Duration.ofSeconds(10));
        assertThat(gaps.get(4)).isBetween(Duration.ofSeconds(30), Duration.ofSeconds(60));
        assertThat(gaps).allSatisfy(gap -> assertThat(gap).isLessThanOrEqualTo(Duration.ofSeconds(60)));
        assertThat(tries.getLast()).isBefore(at(0.95));
        assertThat(simulation.progress().denials()).isEqualTo(tries.size());
        assertThat(simulation.progress().capacity()).isZero();
        assertThat(simulation.agents().getFirst().state()).isEqualTo(SimulatedAgent.State.OFF);
    }

    @Test
    void denied_agentGetsASeatOnceOneIsFree() {
        FakeSeatDesk desk = desk(0);
        Simulation simulation = simulate(desk, 3, LoadPattern.STEADY, 0);
        timeline.runUntil(at(0.15));
        assertThat(simulation.progress().denials()).isPositive();

        desk.capacity(3);
        timeline.runUntil(at(0.2));

        assertThat(simulation.progress().held()).isEqualTo(3);
    }

    @Test
    void crash_abandonsTheSeatWithoutReleasingIt() {
        FakeSeatDesk desk = desk(10);
        Simulation simulation = simulate(desk, 1, LoadPattern.STEADY, 1);

        timeline.runUntil(at(0.6));

        List<FakeSeatDesk.Event> events = desk.eventsOf("sim-agent-0001");
        assertThat(events).extracting(FakeSeatDesk.Event::what).startsWith("claim", "abandon", "claim");
        assertThat(desk.events("release")).isEmpty();
        assertThat(simulation.progress().crashes())
                .isEqualTo(desk.events("abandon").size());
        assertThat(simulation.progress().held()).isLessThanOrEqualTo(1);
    }

    @Test
    void crash_comesBackNoEarlierThanItsAbandonedLeaseExpires() {
        Duration longLease = Duration.ofMinutes(30);
        FakeSeatDesk desk = new FakeSeatDesk(timeline, 10, longLease);
        Simulation.start(timeline, desk, SimulationSettings.of(1, LoadPattern.STEADY, HOUR, 1, 42));

        timeline.runUntil(at(4));

        List<FakeSeatDesk.Event> events = desk.eventsOf("sim-agent-0001");
        assertThat(events).hasSizeGreaterThan(4);
        for (int i = 2; i < events.size(); i += 2) {
            FakeSeatDesk.Event claim = events.get(i - 2);
            assertThat(events.get(i - 1).what()).isEqualTo("abandon");
            assertThat(events.get(i).what()).isEqualTo("claim");
            assertThat(events.get(i).at())
                    .isAfterOrEqualTo(claim.at().plus(longLease).plus(SimulatedAgent.REAP_SLACK));
        }
    }

    @Test
    void lostSeat_isCountedAndTheAgentClaimsAgainAfterABackoff() {
        FakeSeatDesk desk = desk(10);
        Simulation simulation = simulate(desk, 1, LoadPattern.STEADY, 0);
        timeline.runUntil(at(0.1));
        Instant lostAt = timeline.now();

        desk.lose("sim-agent-0001");
        assertThat(simulation.progress().lost())
                .as("told on the timeline, not at once")
                .isZero();
        timeline.runUntil(lostAt);
        assertThat(simulation.progress().lost()).isEqualTo(1);
        assertThat(simulation.progress().held()).isZero();
        timeline.runUntil(lostAt.plus(Duration.ofSeconds(5)));

        assertThat(desk.eventsOf("sim-agent-0001"))
                .extracting(FakeSeatDesk.Event::what)
                .containsExactly("claim", "lost", "claim");
        assertThat(simulation.progress().held()).isEqualTo(1);
    }

    @Test
    void renewals_areCountedWhenAHeldSeatsExpiryMovesOn() {
        FakeSeatDesk desk = desk(100);
        Simulation simulation = simulate(desk, 20, LoadPattern.STEADY, 0);
        timeline.runUntil(at(0.15));
        int held = simulation.progress().held();

        timeline.advance(Duration.ofSeconds(20));
        desk.renewAll();
        timeline.advance(Duration.ofMillis(250));
        timeline.advance(Duration.ofMillis(250));

        assertThat(held).isPositive();
        assertThat(simulation.progress().renewals())
                .isEqualTo(simulation.progress().held());
    }

    @Test
    void burst_teamsOverlapAtEachShiftChange_soDemandExceedsCapacity() {
        FakeSeatDesk desk = desk(12);
        Simulation simulation = simulate(desk, 20, LoadPattern.BURST, 0);
        Duration wave = HOUR.dividedBy(4);

        timeline.runUntil(START.plus(wave.multipliedBy(9).dividedBy(10)));
        assertThat(simulation.progress().held()).isEqualTo(10);
        assertThat(simulation.progress().denials()).isZero();

        timeline.runUntil(START.plus(wave).plus(wave.dividedBy(50)));
        assertThat(simulation.progress().denials()).isPositive();
        assertThat(simulation.progress().held()).isEqualTo(12);

        timeline.runUntil(START.plus(wave.multipliedBy(3).dividedBy(2)));
        assertThat(simulation.progress().held()).isEqualTo(10);
        assertThat(desk.maxInUse()).isEqualTo(12);
        assertThat(desk.events("claim").stream()
                        .filter(e -> e.at().isAfter(START.plus(wave.dividedBy(2))))
                        .map(FakeSeatDesk.Event::agentId)
                        .distinct()
                        .toList())
                .allSatisfy(agent -> assertThat(Integer.parseInt(agent.substring(agent.length() - 4)) % 2)
                        .isEqualTo(1));
    }

    @Test
    void steady_keepsAStablePopulationWithChurn() {
        FakeSeatDesk desk = desk(1000);
        Simulation simulation = simulate(desk, 100, LoadPattern.STEADY, 0);
        timeline.runUntil(at(0.5));

        List<Integer> held = new ArrayList<>();
        for (int step = 0; step < 25; step++) {
            timeline.advance(HOUR.dividedBy(10));
            held.add(simulation.progress().held());
        }

        assertThat(held).allSatisfy(count -> assertThat(count).isBetween(55, 95));
        assertThat(simulation.progress().claims()).isGreaterThan(500);
    }

    @Test
    void fatalFailure_endsTheSimulationWithItsReason() throws InterruptedException {
        FakeSeatDesk desk = desk(10);
        desk.failClaims(agent -> true, true);
        Simulation simulation = simulate(desk, 5, LoadPattern.STEADY, 0);

        timeline.runUntil(at(0.2));

        assertThat(simulation.awaitEnd(Duration.ZERO)).isTrue();
        assertThat(simulation.failure()).contains("the server is down");
        assertThat(simulation.progress().errors()).isEqualTo(5);
    }

    @Test
    void transientFailures_areCountedAndRetried() {
        FakeSeatDesk desk = desk(10);
        desk.failClaims(agent -> true, false);
        Simulation simulation = simulate(desk, 2, LoadPattern.STEADY, 0);
        timeline.runUntil(at(0.2));
        desk.failClaims(agent -> false, false);

        timeline.runUntil(at(0.3));

        assertThat(simulation.progress().errors()).isGreaterThan(4);
        assertThat(simulation.failure()).isEmpty();
        assertThat(simulation.progress().held()).isEqualTo(2);
    }

    @Test
    void stop_releasesEveryHeldSeatButNotThoseOfCrashedAgents() {
        FakeSeatDesk desk = desk(1000);
        Simulation simulation = simulate(desk, 200, LoadPattern.STEADY, 0.3);
        timeline.runUntil(at(0.5));
        int held = simulation.progress().held();
        long releasesBefore = simulation.progress().releases();

        Progress last = simulation.stop();
        timeline.runUntil(at(2));

        assertThat(desk.closed()).isTrue();
        assertThat(last.held()).isZero();
        assertThat(last.releases()).isEqualTo(releasesBefore + held);
        assertThat(last.crashes()).isPositive();
        assertThat(desk.events("release").stream().filter(e -> !e.at().isBefore(at(0.5))))
                .hasSize(held);
        List<FakeSeatDesk.Seat> abandonedAtStop = simulation.agents().stream()
                .flatMap(agent -> desk.seat(agent.id()).stream())
                .filter(seat -> seat.abandoned)
                .toList();
        assertThat(abandonedAtStop)
                .isNotEmpty()
                .allSatisfy(seat -> assertThat(seat.released)
                        .as("released %s", seat.agentId)
                        .isFalse());
        assertThat(simulation.agents())
                .allSatisfy(agent -> assertThat(agent.state()).isEqualTo(SimulatedAgent.State.STOPPED));
        assertThat(simulation.progress()).isEqualTo(last);
        assertThat(simulation.stop()).isEqualTo(last);
    }

    @Test
    void sameSeed_repeatsTheRun() {
        FakeSeatDesk first = desk(30);
        simulate(first, 40, LoadPattern.SHIFT, 0.1);
        timeline.runUntil(at(1));

        FakeTimeline again = new FakeTimeline(START);
        FakeSeatDesk second = new FakeSeatDesk(again, 30, TTL);
        Simulation.start(again, second, SimulationSettings.of(40, LoadPattern.SHIFT, HOUR, 0.1, 42));
        again.runUntil(at(1));

        assertThat(second.events()).isEqualTo(first.events()).hasSizeGreaterThan(100);
    }

    @Test
    void agentPrefix_namesTheAgents_andMustMakeAgentIds() {
        FakeSeatDesk desk = desk(10);
        Simulation.start(
                timeline,
                desk,
                SimulationSettings.of(12_345, LoadPattern.STEADY, HOUR, 0, 1).withAgentPrefix("node-2.agent-"));
        timeline.runUntil(at(0.2));

        assertThat(desk.events("claim"))
                .extracting(FakeSeatDesk.Event::agentId)
                .allMatch(id -> id.matches("node-2\\.agent-\\d{5}"));
        assertThatThrownBy(() ->
                        SimulationSettings.of(1, LoadPattern.STEADY, HOUR, 0, 1).withAgentPrefix("agent 7-"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'agent 7-'");
        assertThatThrownBy(() ->
                        SimulationSettings.of(1, LoadPattern.STEADY, HOUR, 0, 1).withAgentPrefix("x".repeat(61)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void progressLine_showsEveryCountAndAnUnknownCapacityAsQuestionMark() {
        Progress progress = new Progress(Duration.ofSeconds(3723), 47, 50, -1, 312, 1204, 265, 41, 3, 1, 2);

        assertThat(progress.line())
                .isEqualTo("1:02:03  held 47/?  claims 312  renewals 1204  releases 265  denials 41  crashes 3"
                        + "  lost 1  errors 2");
    }
}
