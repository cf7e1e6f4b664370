package io.cockpitwsjava.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import io.cockpitwsjava.fleet.FleetStatus;
import io.cockpitwsjava.fleet.HostStatus;
import io.cockpitwsjava.fleet.Inventory;
import io.cockpitwsjava.fleet.InventoryFormat;
import io.cockpitwsjava.fleet.InventoryStatus;
import io.cockpitwsjava.fleet.ProbeProblem;
import io.cockpitwsjava.fleet.StatusReport;
import io.cockpitwsjava.identity.Identity;

/** The fleet API's JSON: which hosts an identity sees, and every field of a host object. */
class FleetJsonTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Instant T = Instant.parse("2026-05-06T07:08:09.123456Z");

    static Inventory inventory() throws Exception {
        return InventoryFormat.parse("""
                hosts:
                  - {name: web-1, address: 10.0.0.1, labels: {env: prod, role: web}}
                  - {name: build-1, address: "build-1.internal:2222", labels: {env: dev}}
                  - {name: db-1, address: "[2001:db8::1]:2200", labels: {env: prod, role: db}}
                access:
                  - {groups: [ops], hosts: {env: prod}, ssh-user: cloud-user}
                  - {groups: [ops, dev], hosts: {env: dev}, ssh-user: builder}
                  - {users: [carol], hosts: {role: db}, ssh-user: dba}
                probe: {interval: 30s}
                """);
    }

    static FleetStatus status() {
        FleetStatus s = new FleetStatus();
        StatusReport r = new StatusReport(Optional.of("CentOS Stream 9"), Optional.of("5.14.0"), OptionalLong.of(3600),
                Optional.of(new StatusReport.Load(0.5, 0.25, 0.125)), Optional.of(new StatusReport.Memory(4096, 1024)),
                Optional.of(List.of("nginx.service")), OptionalInt.of(3));
        s.put("web-1", HostStatus.unknown(T, Optional.empty()).up(r, T));
        s.put("build-1", HostStatus.unknown(T, Optional.empty()).down(ProbeProblem.REFUSED, "connection refused", T));
        return s;
    }

    static List<String> names(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.path("name").asText()));
        return out;
    }

    @Test
    void eachIdentitySeesWhatItsRulesGrantInFileOrder() throws Exception {
        Inventory inv = inventory();
        FleetStatus s = status();
        assertEquals(List.of("web-1", "build-1", "db-1"),
                names(JSON.readTree(FleetJson.hosts(inv, s, Identity.of("olga", "ops")))));
        assertEquals(List.of("build-1"), names(JSON.readTree(FleetJson.hosts(inv, s, Identity.of("dave", "dev")))));
        assertEquals(List.of("db-1"), names(JSON.readTree(FleetJson.hosts(inv, s, Identity.of("carol")))));
        assertEquals(List.of(), names(JSON.readTree(FleetJson.hosts(inv, s, Identity.of("eve", "Ops")))));
    }

    @Test
    void anUpHostHasEveryField() throws Exception {
        JsonNode web = JSON.readTree(FleetJson.hosts(inventory(), status(), Identity.of("olga", "ops"))).get(0);
        assertEquals(JSON.readTree("""
                {"name":"web-1","address":"10.0.0.1","labels":{"env":"prod","role":"web"},"state":"up",
                 "reason":null,"reason_code":null,"os":"CentOS Stream 9","kernel":"5.14.0","uptime_s":3600,
                 "load":[0.5,0.25,0.125],"memory":{"total_bytes":4096,"available_bytes":1024},
                 "failed_units":["nginx.service"],"updates":3,"checked_at":"2026-05-06T07:08:09.123Z",
                 "ssh_user":"cloud-user"}
                """), web);
    }

    @Test
    void aDownHostHasAReasonAndNoStaleValues() throws Exception {
        JsonNode build = JSON.readTree(FleetJson.hosts(inventory(), status(), Identity.of("dave", "dev"))).get(0);
        assertEquals("down", build.path("state").asText());
        assertEquals("connection refused", build.path("reason").asText());
        assertEquals("refused", build.path("reason_code").asText());
        assertEquals("build-1.internal:2222", build.path("address").asText());
        for (String f : List.of("os", "kernel", "uptime_s", "load", "memory", "failed_units", "updates")) {
            assertTrue(build.path(f).isNull(), f + " in " + build);
        }
        assertEquals("builder", build.path("ssh_user").asText());
    }

    @Test
    void aHostNeverProbedIsUnknown() throws Exception {
        JsonNode db = JSON.readTree(FleetJson.hosts(inventory(), status(), Identity.of("carol"))).get(0);
        assertEquals("unknown", db.path("state").asText());
        assertTrue(db.path("checked_at").isNull());
        assertEquals("[2001:db8::1]:2200", db.path("address").asText());
    }

    @Test
    void inventoryStatus() throws Exception {
        InventoryStatus ok = new InventoryStatus(Path.of("/i.yaml"), Optional.of(T), Optional.of("ab"), 3, 3,
                List.of(), Optional.empty());
        assertEquals(JSON.readTree("{\"error\":null,\"checked_at\":\"2026-05-06T07:08:09.123Z\"}"),
                JSON.readTree(FleetJson.inventory(ok)));
        InventoryStatus bad = new InventoryStatus(Path.of("/i.yaml"), Optional.of(T), Optional.of("ab"), 3, 3,
                List.of(), Optional.of(new InventoryStatus.Failure("line 3: \"x\" is not a key", List.of(),
                        T.plusSeconds(60))));
        JsonNode b = JSON.readTree(FleetJson.inventory(bad));
        assertEquals("line 3: \"x\" is not a key", b.path("error").asText());
        assertEquals("2026-05-06T07:09:09.123Z", b.path("checked_at").asText());
    }

    @Test
    void hostileTextStaysInsideItsString() throws Exception {
        FleetStatus s = new FleetStatus();
        StatusReport r = new StatusReport(Optional.of("</script>\"},{\"name\":\"x\n"), Optional.empty(),
                OptionalLong.empty(), Optional.empty(), Optional.empty(), Optional.of(List.of("a\"b")),
                OptionalInt.empty());
        s.put("web-1", HostStatus.unknown(T, Optional.empty()).up(r, T));
        String text = FleetJson.hosts(inventory(), s, Identity.of("olga", "ops"));
        assertTrue(!text.contains("\n"), "one line, fit for an SSE data line: " + text);
        JsonNode web = JSON.readTree(text).get(0);
        assertEquals("</script>\"},{\"name\":\"x\n", web.path("os").asText());
        assertEquals(3, JSON.readTree(text).size());
    }
}
