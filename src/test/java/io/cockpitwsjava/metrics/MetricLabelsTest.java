package io.cockpitwsjava.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.cockpitwsjava.protocol.Problem;
import io.cockpitwsjava.testing.GatewayClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Issue 7 row 10: nothing a client or target chooses becomes a Prometheus label value. After requests and failed
 * logins carrying a marker in every place a client controls, the scrape holds no marker, and every label of the
 * gateway's own meters comes from a fixed set.
 */
@QuarkusTest
class MetricLabelsTest {
    static final String MARKER = "zq9marker";
    static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)\\{(.*)\\} \\S+.*$");
    static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    @TestHTTPResource("/")
    URL base;
    /** The management root is /q, so this is /q/metrics on the management port. */
    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    @Test
    void labelValuesComeFromFixedSets() throws Exception {
        try (GatewayClient client = new GatewayClient(base.getHost(), base.getPort())) {
            // paths, headers and login failures that carry the marker (the target is a closed port on loopback)
            client.get("/" + MARKER + "/x", GatewayClient.headers("User-Agent", MARKER));
            client.get("/=" + MARKER + "/", GatewayClient.headers());
            client.get("/cockpit+" + MARKER + "/@localhost/x.html", GatewayClient.headers());
            for (String app : new String[] {"/cockpit+=" + MARKER + "@127.0.0.1:1", "/cockpit+=" + MARKER + ";x",
                    "/cockpit"}) {
                client.get(app + "/login", GatewayClient.headers("Authorization",
                        GatewayClient.basic(MARKER, MARKER, ""), "X-Superuser", MARKER));
            }
            client.get("/cockpit/login", GatewayClient.headers("Authorization", "X-Conversation " + MARKER + " eA=="));
        }

        String scrape = new String(metrics.openStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertFalse(scrape.contains(MARKER), "client-chosen text in the metrics:\n" + grep(scrape, MARKER));
        assertTrue(scrape.contains("cockpit_logins_total"), "no login meter in the scrape");

        Set<String> problems = Arrays.stream(Problem.values()).map(Problem::wireName).collect(Collectors.toSet());
        problems.add("none");
        problems.add("other");
        Map<String, Set<String>> allowed = new HashMap<>();
        allowed.put("outcome", Set.of("success", "failure"));
        allowed.put("problem", problems);
        allowed.put("mode", Set.of("beiboot", "installed"));
        allowed.put("direction", Set.of("from_bridge", "to_bridge"));
        // the login admission's limits (LoginAdmission.Refusal.LIMITS)
        allowed.put("limit", Set.of("max-startups", "logins-per-client", "pending-prompts-per-client", "pending-prompts",
                "sessions-per-client", "sessions", "failures"));
        // the steps of a login (cockpit_login_step_seconds)
        allowed.put("step", Arrays.stream(io.cockpitwsjava.ssh.LoginTimeline.Step.values())
                .map(io.cockpitwsjava.ssh.LoginTimeline.Step::label).collect(Collectors.toSet()));
        // the HTTP server's network transport (cockpit_http_transport_info)
        allowed.put("transport", Set.of(io.cockpitwsjava.web.HttpTransport.EPOLL, io.cockpitwsjava.web.HttpTransport.NIO,
                io.cockpitwsjava.web.HttpTransport.OTHER_NATIVE));
        Set<String> seenFailure = new HashSet<>();
        for (String line : scrape.split("\n")) {
            Matcher m = SAMPLE.matcher(line);
            if (!m.matches() || !m.group(1).startsWith("cockpit_")) {
                continue;
            }
            Matcher l = LABEL.matcher(m.group(2));
            while (l.find()) {
                String name = l.group(1);
                String value = l.group(2);
                if (name.equals("quantile") || name.equals("le")) {
                    continue;
                }
                assertTrue(allowed.containsKey(name), "unexpected label " + name + " in " + line);
                assertTrue(allowed.get(name).contains(value), "label value outside the fixed set: " + line);
                if (name.equals("outcome") && value.equals("failure")) {
                    seenFailure.add(line);
                }
            }
        }
        // the failed logins above were counted, under fixed problem codes
        assertFalse(seenFailure.isEmpty(), scrape);
        assertEquals(0, grep(scrape, "uri=").length(), "per-URL series: " + grep(scrape, "uri="));
    }

    private static String grep(String text, String needle) {
        return Arrays.stream(text.split("\n")).filter(l -> l.contains(needle)).collect(Collectors.joining("\n"));
    }
}
