package io.cockpitwsjava.web;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import io.cockpitwsjava.fleet.FleetHost;
import io.cockpitwsjava.fleet.FleetStatus;
import io.cockpitwsjava.fleet.HostStatus;
import io.cockpitwsjava.fleet.Inventory;
import io.cockpitwsjava.fleet.InventoryStatus;
import io.cockpitwsjava.fleet.StatusReport;
import io.cockpitwsjava.identity.AccessDecision;
import io.cockpitwsjava.identity.Identity;

/**
 * The fleet API's JSON (docs/fleet.md, "Fleet API"): host objects, the host list one identity may see, and the
 * inventory status. Pure: the same inventory, status and identity always give the same text.
 */
public final class FleetJson {

    private static final JsonFactory JSON = new JsonFactory();

    private FleetJson() {
    }

    /** A host the caller may reach, with the account its rule grants. */
    public record Visible(FleetHost host, String sshUser) {
    }

    /** The hosts of {@code inventory} that {@code who} may reach, in file order. */
    public static List<Visible> visible(Inventory inventory, Identity who) {
        List<Visible> out = new ArrayList<>();
        for (FleetHost h : inventory.hosts()) {
            if (inventory.access().decide(who, h) instanceof AccessDecision.Granted g) {
                out.add(new Visible(h, g.sshUser()));
            }
        }
        return out;
    }

    /** The one host {@code name}, if {@code who} may reach it. */
    static Optional<Visible> visible(Inventory inventory, Identity who, String name) {
        return inventory.host(name).flatMap(h -> inventory.access().decide(who, h) instanceof AccessDecision.Granted g
                ? Optional.of(new Visible(h, g.sshUser())) : Optional.empty());
    }

    /** {@code GET fleet/api/hosts} and the {@code hosts} event: an array of host objects. */
    public static String hosts(Inventory inventory, FleetStatus status, Identity who) {
        return write(g -> {
            g.writeStartArray();
            for (Visible v : visible(inventory, who)) {
                host(g, v, status.get(v.host().name()));
            }
            g.writeEndArray();
        });
    }

    /** The {@code host} event: one host object. */
    static String host(Visible v, HostStatus s) {
        return write(g -> host(g, v, s));
    }

    private static void host(JsonGenerator g, Visible v, HostStatus s) throws IOException {
        FleetHost h = v.host();
        Optional<StatusReport> r = s.report();
        g.writeStartObject();
        g.writeStringField("name", h.name());
        g.writeStringField("address", h.address().display());
        g.writeObjectFieldStart("labels");
        for (Map.Entry<String, String> e : h.labels().entrySet()) {
            g.writeStringField(e.getKey(), e.getValue());
        }
        g.writeEndObject();
        g.writeStringField("state", s.state().json());
        string(g, "reason", s.reason());
        string(g, "reason_code", s.problem().map(p -> p.code()));
        string(g, "os", r.flatMap(StatusReport::os));
        string(g, "kernel", r.flatMap(StatusReport::kernel));
        if (r.isPresent() && r.get().uptimeSeconds().isPresent()) {
            g.writeNumberField("uptime_s", r.get().uptimeSeconds().getAsLong());
        } else {
            g.writeNullField("uptime_s");
        }
        Optional<StatusReport.Load> load = r.flatMap(StatusReport::load);
        if (load.isPresent()) {
            g.writeArrayFieldStart("load");
            g.writeNumber(load.get().one());
            g.writeNumber(load.get().five());
            g.writeNumber(load.get().fifteen());
            g.writeEndArray();
        } else {
            g.writeNullField("load");
        }
        Optional<StatusReport.Memory> memory = r.flatMap(StatusReport::memory);
        if (memory.isPresent()) {
            g.writeObjectFieldStart("memory");
            g.writeNumberField("total_bytes", memory.get().totalBytes());
            g.writeNumberField("available_bytes", memory.get().availableBytes());
            g.writeEndObject();
        } else {
            g.writeNullField("memory");
        }
        Optional<List<String>> failed = r.flatMap(StatusReport::failedUnits);
        if (failed.isPresent()) {
            g.writeArrayFieldStart("failed_units");
            for (String u : failed.get()) {
                g.writeString(u);
            }
            g.writeEndArray();
        } else {
            g.writeNullField("failed_units");
        }
        if (r.isPresent() && r.get().updates().isPresent()) {
            g.writeNumberField("updates", r.get().updates().getAsInt());
        } else {
            g.writeNullField("updates");
        }
        string(g, "checked_at", s.checkedAt().map(FleetJson::time));
        string(g, "ssh_user", Optional.of(v.sshUser()));
        g.writeEndObject();
    }

    /** The {@code inventory} event: whether the file on disk is in use, and since when it stands so. */
    static String inventory(InventoryStatus st) {
        return write(g -> {
            g.writeStartObject();
            string(g, "error", st.error().map(InventoryStatus.Failure::message));
            Optional<Instant> at = st.error().map(InventoryStatus.Failure::since).or(st::loadedAt);
            string(g, "checked_at", at.map(FleetJson::time));
            g.writeEndObject();
        });
    }

    static String time(Instant t) {
        return DateTimeFormatter.ISO_INSTANT.format(t.truncatedTo(ChronoUnit.MILLIS));
    }

    private static void string(JsonGenerator g, String name, Optional<String> value) throws IOException {
        if (value.isPresent()) {
            g.writeStringField(name, value.get());
        } else {
            g.writeNullField(name);
        }
    }

    private interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    private static String write(Body body) {
        StringWriter out = new StringWriter(512);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            body.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException("writing JSON to a string failed", e);
        }
        return out.toString();
    }
}
