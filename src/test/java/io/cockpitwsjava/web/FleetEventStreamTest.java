package io.cockpitwsjava.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.cockpitwsjava.fleet.FleetStatus;
import io.cockpitwsjava.fleet.HostStatus;
import io.cockpitwsjava.fleet.Inventory;
import io.cockpitwsjava.fleet.InventoryFormat;
import io.cockpitwsjava.fleet.InventoryStatus;
import io.cockpitwsjava.fleet.StatusReport;
import io.cockpitwsjava.identity.Identity;

/**
 * One event stream with a sink that plays the HTTP connection: what is sent, in which order, and that a client that
 * does not read costs a bounded amount of memory and gets only the latest states.
 */
class FleetEventStreamTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Duration STALL = Duration.ofMinutes(1);
    static final Duration MAX_AGE = Duration.ofMinutes(10);

    /** The connection: a write queue that is full or not, as the test says. */
    static final class Sink implements FleetEventStream.Sink {
        final List<String> written = new ArrayList<>();
        boolean full;
        Runnable drain;
        boolean closed;

        @Override
        public boolean writeQueueFull() {
            return full;
        }

        @Override
        public void write(String chunk) {
            assertFalse(full, "wrote to a full queue");
            written.add(chunk);
        }

        @Override
        public void onDrain(Runnable handler) {
            drain = handler;
        }

        @Override
        public void close() {
            closed = true;
        }

        void drained() {
            full = false;
            Runnable d = drain;
            drain = null;
            if (d != null) {
                d.run();
            }
        }

        List<String> events() {
            return written.stream().filter(w -> w.startsWith("event: ")).map(w -> w.substring(7, w.indexOf('\n')))
                    .toList();
        }

        JsonNode data(int i) throws Exception {
            List<String> events = written.stream().filter(w -> w.startsWith("event: ")).toList();
            String w = events.get(i);
            assertTrue(w.endsWith("\n\n"), w);
            String line = w.substring(w.indexOf("\ndata: ") + 7, w.length() - 2);
            assertFalse(line.contains("\n"), "one data line");
            return JSON.readTree(line);
        }
    }

    final AtomicReference<Inventory> inventory = new AtomicReference<>();
    final AtomicReference<InventoryStatus> inventoryStatus = new AtomicReference<>();
    final AtomicLong clock = new AtomicLong();
    FleetStatus status;
    Sink sink;
    FleetEventStream stream;

    static Inventory parse(String hostsForDev) throws Exception {
        return InventoryFormat.parse("""
                hosts:
                  - {name: a, address: 10.0.0.1, labels: {env: dev}}
                  - {name: b, address: 10.0.0.2, labels: {env: dev}}
                  - {name: c, address: 10.0.0.3, labels: {env: %s}}
                  - {name: secret, address: 10.0.0.9, labels: {env: prod}}
                access:
                  - {groups: [dev], hosts: {env: dev}, ssh-user: cloud-user}
                """.formatted(hostsForDev));
    }

    static HostStatus upWithUptime(long seconds) {
        StatusReport r = new StatusReport(Optional.of("OS"), Optional.empty(), OptionalLong.of(seconds),
                Optional.empty(), Optional.empty(), Optional.empty(), OptionalInt.empty());
        return HostStatus.unknown(Instant.EPOCH, Optional.empty()).up(r, Instant.EPOCH.plusSeconds(seconds));
    }

    @BeforeEach
    void open() throws Exception {
        inventory.set(parse("dev"));
        inventoryStatus.set(new InventoryStatus(Path.of("/i.yaml"), Optional.of(Instant.EPOCH), Optional.of("x"), 4, 1,
                List.of(), Optional.empty()));
        status = new FleetStatus();
        sink = new Sink();
        stream = new FleetEventStream(Identity.of("dave", "dev"), inventory::get, status, inventoryStatus::get, sink,
                clock::get, STALL, MAX_AGE);
        stream.open();
    }

    @Test
    void startsWithTheFullListAndTheInventoryStatus() throws Exception {
        assertEquals(List.of("hosts", "inventory"), sink.events());
        List<String> names = new ArrayList<>();
        sink.data(0).forEach(h -> names.add(h.path("name").asText()));
        assertEquals(List.of("a", "b", "c"), names);
        assertTrue(sink.data(1).path("error").isNull());
    }

    @Test
    void sendsChangedHostsTheCallerMaySeeOnly() throws Exception {
        status.put("a", upWithUptime(5));
        stream.hostChanged("a");
        stream.hostChanged("secret");
        assertEquals(List.of("hosts", "inventory", "host"), sink.events());
        assertEquals("a", sink.data(2).path("name").asText());
        assertEquals(5, sink.data(2).path("uptime_s").asLong());
    }

    /** A client that stops reading: nothing is queued but names, and after the drain each host once, latest state. */
    @Test
    void aSlowClientGetsOnlyTheLatestStates() throws Exception {
        int before = sink.written.size();
        sink.full = true;
        for (int i = 1; i <= 10_000; i++) {
            for (String h : List.of("a", "b", "c", "secret")) {
                status.put(h, upWithUptime(i));
                stream.hostChanged(h);
            }
            assertTrue(stream.pending() <= 3, "pending " + stream.pending());
        }
        assertEquals(before, sink.written.size());
        sink.drained();
        assertEquals(List.of("hosts", "inventory", "host", "host", "host"), sink.events());
        for (int i = 2; i < 5; i++) {
            assertEquals(10_000, sink.data(i).path("uptime_s").asLong());
        }
        assertEquals(0, stream.pending());
    }

    @Test
    void aNewInventoryWhileBlockedSendsOneFullListInstead() throws Exception {
        sink.full = true;
        stream.hostChanged("a");
        inventory.set(parse("prod")); // c is no longer the caller's
        stream.inventoryChanged();
        inventoryStatus.set(new InventoryStatus(Path.of("/i.yaml"), Optional.of(Instant.EPOCH), Optional.of("x"), 4,
                1, List.of(), Optional.of(new InventoryStatus.Failure("broken", List.of(), Instant.EPOCH))));
        stream.inventoryStatusChanged();
        sink.drained();
        assertEquals(List.of("hosts", "inventory", "hosts", "inventory"), sink.events());
        assertEquals(2, sink.data(2).size());
        assertEquals("broken", sink.data(3).path("error").asText());
    }

    @Test
    void heartbeatsWhenIdleAndClosesAStalledClient() {
        assertTrue(stream.tick());
        assertEquals(":\n\n", sink.written.get(sink.written.size() - 1));
        sink.full = true;
        assertTrue(stream.tick());
        clock.addAndGet(STALL.toNanos() - 1);
        assertTrue(stream.tick());
        clock.addAndGet(1);
        assertFalse(stream.tick());
        assertTrue(sink.closed);
        stream.hostChanged("a"); // a late event for a closed stream is dropped
        assertEquals(0, stream.pending());
    }

    @Test
    void endsAfterItsMaximumAgeSoTheSignInIsCheckedAgain() {
        clock.addAndGet(MAX_AGE.toNanos());
        assertFalse(stream.tick());
        assertTrue(sink.closed);
    }
}
