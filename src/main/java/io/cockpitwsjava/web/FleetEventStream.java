package io.cockpitwsjava.web;

import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import io.cockpitwsjava.fleet.FleetStatus;
import io.cockpitwsjava.fleet.Inventory;
import io.cockpitwsjava.fleet.InventoryStatus;
import io.cockpitwsjava.identity.Identity;

/**
 * One {@code fleet/api/events} stream (Server-Sent Events) for one signed-in identity: {@code hosts} (the full list)
 * first and after every inventory change, {@code host} for each host whose status changed, {@code inventory} for the
 * file's status, and a comment line as heartbeat.
 *
 * <p>Memory stays bounded however slowly the client reads: nothing is written while the connection's write queue is
 * full; meanwhile the stream only remembers <em>which</em> hosts changed (a set of names, at most the inventory) and
 * whether the list or the inventory status is due. When the queue drains, each is written with its state as of then:
 * older states are never queued, only the latest is sent. A client that reads nothing for {@code stall} is
 * disconnected. All methods run on the connection's event loop.
 */
final class FleetEventStream {

    /** Where the events go: the HTTP response, or a test's sink. */
    interface Sink {
        boolean writeQueueFull();

        void write(String chunk);

        /** Called once when the queue has room again (replaces a previous handler). */
        void onDrain(Runnable handler);

        void close();
    }

    private final Identity who;
    private final Supplier<Inventory> inventory;
    private final FleetStatus status;
    private final Supplier<InventoryStatus> inventoryStatus;
    private final Sink sink;
    private final LongSupplier nanoTime;
    private final Duration stall;
    private final Duration maxAge;
    private final long openedAt;

    private final Set<String> changed = new LinkedHashSet<>();
    private boolean listDue = true;
    private boolean statusDue;
    private long fullSince = -1;
    private boolean closed;

    FleetEventStream(Identity who, Supplier<Inventory> inventory, FleetStatus status,
            Supplier<InventoryStatus> inventoryStatus, Sink sink, LongSupplier nanoTime, Duration stall,
            Duration maxAge) {
        this.who = Objects.requireNonNull(who, "who");
        this.inventory = Objects.requireNonNull(inventory, "inventory");
        this.status = Objects.requireNonNull(status, "status");
        this.inventoryStatus = inventoryStatus;
        this.sink = Objects.requireNonNull(sink, "sink");
        this.nanoTime = nanoTime;
        this.stall = stall;
        this.maxAge = maxAge;
        this.openedAt = nanoTime.getAsLong();
        this.statusDue = inventoryStatus != null;
    }

    /** Sends the full list (and the inventory status). */
    void open() {
        flush();
    }

    /** Host {@code name} has a new status. */
    void hostChanged(String name) {
        if (closed) {
            return;
        }
        if (!listDue && FleetJson.visible(inventory.get(), who, name).isPresent()) {
            changed.add(name);
        }
        flush();
    }

    /** A new inventory (hosts or rules): the whole list again. */
    void inventoryChanged() {
        if (closed) {
            return;
        }
        listDue = true;
        changed.clear();
        flush();
    }

    /** The inventory file's status changed (invalid, fixed, reloaded). */
    void inventoryStatusChanged() {
        if (closed || inventoryStatus == null) {
            return;
        }
        statusDue = true;
        flush();
    }

    /**
     * The periodic tick: a heartbeat comment when nothing else is due; disconnects a client that has not read for
     * {@code stall}, and every stream after {@code maxAge} (the browser reconnects and signs in again).
     *
     * @return false once the stream is closed
     */
    boolean tick() {
        if (closed) {
            return false;
        }
        long now = nanoTime.getAsLong();
        if (now - openedAt >= maxAge.toNanos()) {
            close();
            return false;
        }
        if (sink.writeQueueFull()) {
            if (fullSince < 0) {
                fullSince = now;
            } else if (now - fullSince >= stall.toNanos()) {
                close();
                return false;
            }
            return true;
        }
        fullSince = -1;
        if (!listDue && !statusDue && changed.isEmpty()) {
            sink.write(":\n\n");
        }
        flush();
        return true;
    }

    void close() {
        if (!closed) {
            closed = true;
            changed.clear();
            sink.close();
        }
    }

    boolean isClosed() {
        return closed;
    }

    /** Hosts waiting to be sent (for tests: never more than the inventory holds). */
    int pending() {
        return changed.size();
    }

    private void flush() {
        while (!closed && !sink.writeQueueFull()) {
            if (listDue) {
                listDue = false;
                changed.clear();
                event("hosts", FleetJson.hosts(inventory.get(), status, who));
            } else if (statusDue) {
                statusDue = false;
                event("inventory", FleetJson.inventory(inventoryStatus.get()));
            } else if (!changed.isEmpty()) {
                Iterator<String> it = changed.iterator();
                String name = it.next();
                it.remove();
                Optional<FleetJson.Visible> v = FleetJson.visible(inventory.get(), who, name);
                v.ifPresent(visible -> event("host", FleetJson.host(visible, status.get(name))));
            } else {
                return;
            }
        }
        if (!closed) {
            sink.onDrain(this::flush);
        }
    }

    private void event(String type, String json) {
        sink.write("event: " + type + "\ndata: " + json + "\n\n");
    }
}
