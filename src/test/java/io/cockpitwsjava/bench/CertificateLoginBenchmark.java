package io.cockpitwsjava.bench;

import static io.cockpitwsjava.testing.Commands.run;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

import io.cockpitwsjava.testing.SshdTarget;

/**
 * Certificate login vs password login (not a test): one fresh gateway (fast-jar, its own process) in fleet mode with
 * a users-file sign-in, and one real sshd (installed bridge) that accepts both the test user's password and
 * certificates of the gateway's user CA. The logins alternate: a password login ({@code Authorization: Basic} to
 * {@code /cockpit+=localhost:PORT}, host key in the known_hosts part) and a login by identity (the sign-in cookie to
 * {@code /cockpit+=web-1}, the same sshd as inventory host {@code web-1} with its pinned key). Each is timed to the
 * 200 of {@code /login} and to the WebSocket's {@code init}, then logged out; the next starts when the target has no
 * session process left. Gateway and target CPU per login come from their cgroups.
 *
 * <p>Run it with {@code src/scripts/certificate-login-benchmark} (root). System properties: {@code bench.logins}
 * (measured logins of each kind, 40), {@code bench.warm-logins} (unmeasured ones of each kind first, 20),
 * {@code bench.jvm-flags} ({@code -XX:+UseSerialGC -Xmx512m}), {@code bench.jar}.
 */
public final class CertificateLoginBenchmark {

    private static final String PASSWORD = "certificate login benchmark";

    private CertificateLoginBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int logins = Integer.getInteger("bench.logins", 40);
        int warm = Integer.getInteger("bench.warm-logins", 20);
        List<String> flags = Arrays.asList(System.getProperty("bench.jvm-flags", "-XX:+UseSerialGC -Xmx512m").trim()
                .split("\\s+"));
        Path jar = Path.of(System.getProperty("bench.jar", "target/quarkus-app/quarkus-run.jar")).toAbsolutePath();
        Path javaHome = Path.of(System.getenv().getOrDefault("JAVA_HOME", System.getProperty("java.home")));
        if (!Files.isRegularFile(jar)) {
            System.err.println("no fast-jar at " + jar + ": build it with ./mvnw -B -q package -DskipTests -DskipITs");
            System.exit(2);
        }
        Path work = Files.createTempDirectory("certificate-login-bench-");
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path conf = Files.createDirectories(work.resolve("conf/cockpit"));
        Path ca = work.resolve("user_ca");
        run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "bench-user-ca", "-f", ca.toString());

        SshdTarget sshd = new SshdTarget().withConfig("TrustedUserCAKeys " + ca + ".pub").start();
        try (Target target = Target.of("installed", sshd)) {
            byte[] salt = new byte[16];
            new SecureRandom().nextBytes(salt);
            Path users = work.resolve("users");
            Files.writeString(users, "bench:" + OpenBSDBCrypt.generate("2y", PASSWORD.toCharArray(), salt, 10)
                    + ":ops\n");
            Path inventory = work.resolve("inventory.yaml");
            Files.writeString(inventory, """
                    hosts:
                      - {name: web-1, address: "127.0.0.1:%d", host-key: "%s"}
                    access:
                      - {groups: [ops], hosts: "*", ssh-user: %s}
                    """.formatted(sshd.port(), sshd.hostPublicKeyLine("ed25519"), sshd.user()));
            List<String> properties = List.of("-Dcockpit.fleet.inventory=" + inventory,
                    "-Dcockpit.fleet.user-ca-key=" + ca, "-Dcockpit.fleet.sign-in.users-file=" + users);
            GatewayProcess.Launch launch = new GatewayProcess.Launch(javaHome, jar, conf.getParent(), work);
            try (GatewayProcess g = GatewayProcess.ours("ours", "certificate-login", flags, properties, launch);
                    BenchClient client = new BenchClient(g.port(), List.of("127.0.0.1"))) {
                String cookie = signIn(g.port());
                Kind password = new Kind("password", target.app(), "Authorization", target.authorization());
                Kind certificate = new Kind("certificate", "/cockpit+=web-1", "Cookie", cookie);
                for (int i = 0; i < warm; i++) {
                    password.login(client, g, target, false);
                    certificate.login(client, g, target, false);
                }
                for (int i = 0; i < logins; i++) {
                    // alternating, so that load on the shared machine hits both kinds alike
                    password.login(client, g, target, true);
                    certificate.login(client, g, target, true);
                }
                System.out.println();
                System.out.println("Certificate login vs password login, " + logins + " each after " + warm
                        + " each to warm up; JVM " + String.join(" ", flags) + "; load average "
                        + Files.readString(Path.of("/proc/loadavg")).strip());
                System.out.println();
                System.out.println("| | password | certificate | difference |");
                System.out.println("|---|---|---|---|");
                row("login→200 median (ms)", password.toOk, certificate.toOk, 50);
                row("login→200 p90 (ms)", password.toOk, certificate.toOk, 90);
                row("login→socket init median (ms)", password.toInit, certificate.toInit, 50);
                row("gateway CPU per login, median (ms)", password.gatewayCpu, certificate.gatewayCpu, 50);
                row("target CPU per login, median (ms)", password.targetCpu, certificate.targetCpu, 50);
                System.out.println();
                System.out.println("gateway log: " + g.log());
            }
        }
    }

    /** One kind of login and its samples. */
    private static final class Kind {
        final String name;
        final String app;
        final String header;
        final String value;
        final List<Double> toOk = new ArrayList<>();
        final List<Double> toInit = new ArrayList<>();
        final List<Double> gatewayCpu = new ArrayList<>();
        final List<Double> targetCpu = new ArrayList<>();

        Kind(String name, String app, String header, String value) {
            this.name = name;
            this.app = app;
            this.header = header;
            this.value = value;
        }

        void login(BenchClient client, GatewayProcess g, Target target, boolean measured) throws Exception {
            CpuSnapshot before = CpuSnapshot.take(g, target);
            long t0 = System.nanoTime();
            BenchClient.Login login = client.login(app, header, value);
            long t1 = System.nanoTime();
            BenchClient.Socket s = client.socket(app, login);
            long t2 = System.nanoTime();
            Traffic.logout(s);
            target.awaitQuiet(Duration.ofSeconds(30), name + " login");
            CpuSnapshot used = CpuSnapshot.take(g, target).since(before);
            if (measured) {
                toOk.add((t1 - t0) / 1e6);
                toInit.add((t2 - t0) / 1e6);
                gatewayCpu.add(used.gateway() * 1000);
                targetCpu.add(used.target() * 1000);
            }
        }
    }

    private static void row(String what, List<Double> password, List<Double> certificate, double percentile) {
        double p = Stats.of(password).percentile(percentile);
        double c = Stats.of(certificate).percentile(percentile);
        System.out.printf("| %s | %.1f | %.1f | %+.1f |%n", what, p, c, c - p);
    }

    /** Signs in with the users file; returns the sign-in cookie ({@code name=value}). */
    private static String signIn(int port) throws Exception {
        HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
        String origin = "http://127.0.0.1:" + port;
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(origin + "/fleet/j_security_check"))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Origin", origin)
                .POST(HttpRequest.BodyPublishers.ofString("j_username=bench&j_password="
                        + URLEncoder.encode(PASSWORD, StandardCharsets.UTF_8)))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("sign-in answered " + r.statusCode() + ": " + r.body());
        }
        return r.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("quarkus-credential="))
                .findFirst().orElseThrow().split(";", 2)[0];
    }
}
