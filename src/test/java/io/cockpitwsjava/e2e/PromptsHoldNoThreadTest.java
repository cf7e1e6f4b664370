package io.cockpitwsjava.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.cockpitwsjava.testing.GatewayClient;
import io.cockpitwsjava.testing.GatewayClient.Response;
import io.cockpitwsjava.testing.GatewayClient.Socket;
import io.cockpitwsjava.testing.SshdTarget;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * No I/O thread waits for a human (issue 7 row 6). With only {@value #IO_THREADS} MINA I/O threads, {@value #PARKED}
 * logins wait at a real PAM keyboard-interactive prompt (an expired password asks for the current one) while the
 * user does not answer; meanwhile a session that was already open keeps relaying, and another login completes.
 * When each prompt blocked an I/O thread, the third parked login never got its prompt and everything else stalled.
 */
@QuarkusTest
@TestProfile(PromptsHoldNoThreadTest.TwoIoThreads.class)
class PromptsHoldNoThreadTest {
    static final int IO_THREADS = 2;
    static final int PARKED = 4;
    static final Duration WAIT = Duration.ofSeconds(45);
    static final String PAM = """
            @include common-auth
            @include common-account
            @include common-password
            session required pam_permit.so
            """;

    /** Two I/O threads; login limits wide enough that only the threads are in the way. */
    public static class TwoIoThreads implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("cockpit.ssh.nio-workers", String.valueOf(IO_THREADS),
                    "cockpit.web.max-startups", "50",
                    "cockpit.limits.logins-per-client", "50",
                    "cockpit.limits.pending-prompts-per-client", "50",
                    "cockpit.limits.failures-per-client", "100",
                    "cockpit.limits.failures-per-user", "100");
        }
    }

    @RegisterExtension
    static SshdTarget prompting = new SshdTarget("cockpitpark", "Park-pass-4711", SshdTarget.RemotePath.PYTHON_ONLY)
            .withPamKeyboardInteractive(PAM);
    @RegisterExtension
    static SshdTarget plain = new SshdTarget(SshdTarget.RemotePath.PYTHON_ONLY);

    @TestHTTPResource("/")
    URL base;

    static String app(SshdTarget t) {
        return "/cockpit+=localhost:" + t.port();
    }

    static Response login(GatewayClient client, SshdTarget t, String authorization) {
        return client.get(app(t) + "/login", GatewayClient.headers("Authorization", authorization));
    }

    /** The conversation id and prompt of an X-Conversation challenge, or null if the response is none. */
    static String[] challenge(Response r) {
        String h = r.header("WWW-Authenticate");
        if (r.status() != 401 || h == null) {
            return null;
        }
        Matcher m = Pattern.compile("X-Conversation (\\S+) (\\S+)").matcher(h);
        return m.matches() ? new String[] {m.group(1),
                new String(Base64.getDecoder().decode(m.group(2)), StandardCharsets.UTF_8)} : null;
    }

    @Test
    void parkedPromptsLeaveTrafficAndOtherLoginsAlone() throws Exception {
        prompting.expirePassword();
        List<GatewayClient> clients = new ArrayList<>();
        ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
        try (GatewayClient main = new GatewayClient(base.getHost(), base.getPort())) {
            // a session that exists before anyone parks a prompt
            Response ok = login(main, plain, GatewayClient.basic(plain.user(), plain.password(),
                    plain.knownHostsLine()));
            assertEquals(200, ok.status(), ok.reason());
            String cookie = GatewayClient.cookieOf(ok.header("Set-Cookie"));
            try (Socket s = main.socket(app(plain) + "/socket", main.origin(), cookie)) {
                s.await("\"init\"", WAIT);
                s.send("\n{\"command\":\"init\",\"version\":1}");
                s.send("\n{\"command\":\"open\",\"channel\":\"1:1\",\"payload\":\"echo\"}");
                s.await("\"ready\"", WAIT);

                // park more prompts than there are I/O threads, all at once, each from its own client
                List<CompletableFuture<Response>> parking = new ArrayList<>();
                for (int i = 0; i < PARKED; i++) {
                    GatewayClient c = new GatewayClient(base.getHost(), base.getPort());
                    clients.add(c);
                    parking.add(CompletableFuture.supplyAsync(() -> login(c, prompting, GatewayClient.basic(
                            prompting.user(), prompting.password(), prompting.knownHostsLine())), pool));
                }
                List<String[]> parked = new ArrayList<>();
                for (CompletableFuture<Response> f : parking) {
                    Response r = f.get(WAIT.toSeconds(), TimeUnit.SECONDS);
                    String[] q = challenge(r);
                    assertNotNull(q, "every parked login gets its prompt: " + r.status() + " " + r.reason());
                    parked.add(q);
                }

                // all prompts wait for a human now: the open session still relays...
                s.send("1:1\nstill flowing");
                assertEquals("1:1\nstill flowing", s.await("1:1\n", WAIT).text());
                // ...and someone else logs in
                Response other = login(main, plain, GatewayClient.basic(plain.user(), plain.password(),
                        plain.knownHostsLine()));
                assertEquals(200, other.status(), other.reason());

                // the parked logins are still alive: a wrong current password ends each of them cleanly
                for (int i = 0; i < PARKED; i++) {
                    Response r = login(clients.get(i), prompting, GatewayClient.conversation(parked.get(i)[0],
                            "not the password"));
                    for (int more = 0; more < 5 && challenge(r) != null; more++) { // PAM may ask on first
                        r = login(clients.get(i), prompting, GatewayClient.conversation(challenge(r)[0],
                                "not the password"));
                    }
                    assertTrue(r.status() == 401 || r.status() == 500, r.status() + " " + r.reason());
                    assertTrue(r.reason().startsWith("Authentication failed"), r.reason());
                }
            }
        } finally {
            clients.forEach(GatewayClient::close);
            pool.shutdownNow();
        }
    }
}
