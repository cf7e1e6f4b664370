package io.cockpitwsjava.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real Keycloak on {@code 127.0.0.1:<free port>}: the identity provider of the fleet tests. Realm {@value #REALM}
 * with groups {@code ops} and {@code dev}, users {@link #ALICE} (ops), {@link #BOB} (dev) and {@link #CAROL} (no
 * group), and the confidential client {@value #CLIENT_ID} (browser flow and password grant, redirects to
 * {@code http://127.0.0.1:*}) whose tokens carry a {@code groups} claim (group names, no paths) and the client id in
 * {@code aud}. The realm is {@code keycloak-realm-cockpit.json} next to this class.
 *
 * <p>The server is the {@code keycloak-quarkus-dist} zip that Maven fetched as a test dependency, unpacked once into
 * {@code target/keycloak/} and reused; each start has a fresh in-memory database with the realm imported. It needs a
 * Java 21+ runtime: the one running the tests, else the newest under {@code /usr/lib/jvm}; without one, or without the
 * zip, tests are skipped with the reason. Starting takes some 20 s; it is printed.
 *
 * <p>Use it as a JUnit extension ({@code @RegisterExtension static Keycloak keycloak = new Keycloak();}) or by hand
 * with {@link #start()} and {@link #close()}.
 */
public final class Keycloak implements AutoCloseable, BeforeAllCallback, AfterAllCallback {

    public static final String REALM = "cockpit";
    public static final String CLIENT_ID = "cockpit-ws-java";
    public static final String CLIENT_SECRET = "cockpit-ws-java-test-secret";

    /** A user of the test realm. */
    public record User(String name, String password, List<String> groups) {
    }

    public static final User ALICE = new User("alice", "alice-password", List.of("ops"));
    public static final User BOB = new User("bob", "bob-password", List.of("dev"));
    public static final User CAROL = new User("carol", "carol-password", List.of());

    private static final String VERSION_PROPERTY = "keycloak.dist";
    private static final Duration START_TIMEOUT = Duration.ofMinutes(4);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private Process process;
    private int port;
    private Path log;
    private Duration startTime;

    // ---- lifecycle ---------------------------------------------------------------------------------------------

    /**
     * A handle on a Keycloak that is already running on {@code port} (started by this class in another class loader
     * of the same JVM, e.g. an earlier Quarkus test application): tokens and URLs work, stopping does nothing.
     */
    public static Keycloak attach(int port) {
        Keycloak k = new Keycloak();
        k.port = port;
        return k;
    }

    /** The HTTP port. */
    public int port() {
        return port;
    }

    /** Starts Keycloak and returns once the realm's OpenID discovery document answers. */
    public synchronized Keycloak start() {
        if (process != null) {
            return this;
        }
        Path javaHome = javaHome();
        Path home = unpacked(distributionZip());
        try {
            Path imports = Files.createDirectories(home.resolve("data/import"));
            try (InputStream realm = Keycloak.class.getResourceAsStream("keycloak-realm-cockpit.json")) {
                Files.copy(realm, imports.resolve("cockpit-realm.json"), StandardCopyOption.REPLACE_EXISTING);
            }
            port = freePort();
            log = home.getParent().resolve("keycloak-" + port + ".log");
            ProcessBuilder b = new ProcessBuilder(home.resolve("bin/kc.sh").toString(), "start-dev",
                    "--http-host=127.0.0.1", "--http-port=" + port, "--http-management-port=" + freePort(),
                    "--db=dev-mem", "--import-realm")
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            b.environment().put("JAVA_HOME", javaHome.toString());
            b.environment().put("PATH", javaHome.resolve("bin") + ":" + System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
            // kc.sh would add its default heap (a share of RAM); a test realm needs little
            b.environment().put("JAVA_OPTS_KC_HEAP", "-Xms64m -Xmx512m");
            long t0 = System.nanoTime();
            System.out.printf("Keycloak: starting %s on 127.0.0.1:%d (Java %s) ...%n", home.getFileName(), port,
                    javaHome);
            process = b.start();
            awaitDiscovery();
            startTime = Duration.ofNanos(System.nanoTime() - t0);
            System.out.printf("Keycloak: realm %s ready at %s after %.1f s%n", REALM, issuer(),
                    startTime.toMillis() / 1000.0);
            return this;
        } catch (IOException e) {
            stop();
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            stop();
            throw e;
        }
    }

    /** Stops the whole process tree (kc.sh and its Java), SIGTERM first. */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        List<ProcessHandle> tree = Stream.concat(process.descendants(), Stream.of(process.toHandle())).toList();
        tree.forEach(ProcessHandle::destroy);
        for (ProcessHandle p : tree) {
            try {
                p.onExit().get(20, TimeUnit.SECONDS);
            } catch (Exception notYet) {
                p.destroyForcibly();
            }
        }
        process = null;
    }

    @Override
    public void close() {
        stop();
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    // ---- what tests use ----------------------------------------------------------------------------------------

    /** {@code http://127.0.0.1:<port>} */
    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** The realm's issuer, what {@code quarkus.oidc.auth-server-url} takes. */
    public String issuer() {
        return baseUrl() + "/realms/" + REALM;
    }

    public String tokenEndpoint() {
        return issuer() + "/protocol/openid-connect/token";
    }

    /** How long the last start took (printed too). */
    public Duration startTime() {
        return startTime;
    }

    /** The server's log so far (for assertion messages). */
    public String log() {
        try {
            return log != null && Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    /** The token endpoint's JSON answer to a password grant for {@code user} (scope {@code openid}). */
    public JsonNode passwordGrant(String user, String password) {
        return passwordGrant(CLIENT_ID, CLIENT_SECRET, user, password);
    }

    /**
     * A password grant through another client of the realm: {@code other-app} (secret {@code other-app-test-secret})
     * issues tokens for another audience, {@code cockpit-ws-java-short} ({@code cockpit-ws-java-short-test-secret})
     * tokens for the gateway that expire after 5 seconds.
     */
    public JsonNode passwordGrant(String clientId, String clientSecret, String user, String password) {
        String form = Map.of("grant_type", "password", "client_id", clientId, "client_secret", clientSecret,
                "username", user, "password", password, "scope", "openid").entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpRequest request = HttpRequest.newBuilder(URI.create(tokenEndpoint())).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build();
        try {
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            JsonNode body = JSON.readTree(r.body());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("password grant for " + user + ": HTTP " + r.statusCode() + " "
                        + body.path("error") + " " + body.path("error_description"));
            }
            return body;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** An access token for {@code user}. */
    public String accessToken(User user) {
        return passwordGrant(user.name(), user.password()).get("access_token").asText();
    }

    /** The claims of a JWT (not verified: for looking at tokens this server just issued). */
    public static JsonNode claims(String jwt) {
        String[] parts = jwt.split("\\.");
        if (parts.length != 3) {
            throw new IllegalArgumentException("not a JWT");
        }
        try {
            return JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- internals ---------------------------------------------------------------------------------------------

    private void awaitDiscovery() {
        URI discovery = URI.create(issuer() + "/.well-known/openid-configuration");
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Keycloak exited with " + process.exitValue() + ":\n" + tail());
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(discovery).timeout(Duration.ofSeconds(5))
                        .GET().build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200 && JSON.readTree(r.body()).path("issuer").asText().equals(issuer())) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for Keycloak", e);
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for Keycloak", e);
            }
        }
        throw new IllegalStateException("Keycloak did not serve " + discovery + " within " + START_TIMEOUT + ":\n"
                + tail());
    }

    private String tail() {
        List<String> lines = log().lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    /** A Java 21+ home: this JVM's, else the newest under /usr/lib/jvm; skips the test without one. */
    static Path javaHome() {
        if (Runtime.version().feature() >= 21) {
            return Path.of(System.getProperty("java.home"));
        }
        Optional<Path> found = Optional.empty();
        int best = 0;
        try (Stream<Path> jdks = Files.list(Path.of("/usr/lib/jvm"))) {
            for (Path jdk : jdks.toList()) {
                int v = javaFeature(jdk);
                if (v >= 21 && v > best && Files.isExecutable(jdk.resolve("bin/java"))) {
                    best = v;
                    found = Optional.of(jdk);
                }
            }
        } catch (IOException e) {
            // no /usr/lib/jvm: handled below
        }
        Assumptions.assumeTrue(found.isPresent(), "Keycloak needs Java 21 or newer: the tests run on Java "
                + Runtime.version().feature() + " and /usr/lib/jvm has no JDK 21+ (set JAVA_HOME to one)");
        return found.get();
    }

    private static int javaFeature(Path jdk) {
        try {
            for (String line : Files.readAllLines(jdk.resolve("release"))) {
                if (line.startsWith("JAVA_VERSION=")) {
                    String v = line.substring("JAVA_VERSION=".length()).replace("\"", "");
                    return Integer.parseInt(v.split("[.+-]")[0]);
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not a JDK we can use
        }
        return 0;
    }

    /** The distribution zip Maven resolved (path from the build), else where Maven keeps it by default. */
    static Path distributionZip() {
        String configured = System.getProperty(VERSION_PROPERTY);
        Path zip = configured != null ? Path.of(configured) : null;
        Assumptions.assumeTrue(zip != null && Files.isRegularFile(zip), "Keycloak distribution zip not found ("
                + (zip == null ? "system property " + VERSION_PROPERTY + " unset: run through Maven" : zip)
                + "); Maven fetches it as a test dependency (drop -o once)");
        return zip;
    }

    /** Unpacks the zip into target/keycloak/ unless a complete copy is there; returns the Keycloak home. */
    static synchronized Path unpacked(Path zip) {
        Path root = Path.of("target", "keycloak").toAbsolutePath();
        String name = zip.getFileName().toString().replace("keycloak-quarkus-dist-", "keycloak-").replace(".zip", "");
        Path home = root.resolve(name);
        if (Files.exists(home.resolve(".unpacked"))) {
            return home;
        }
        try {
            Files.createDirectories(root);
            Path staging = Files.createTempDirectory(root, "unpacking-");
            long t0 = System.nanoTime();
            Path top = null;
            try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
                for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                    Path target = staging.resolve(e.getName()).normalize();
                    if (!target.startsWith(staging)) {
                        throw new IOException("zip entry outside the target directory: " + e.getName());
                    }
                    if (top == null) {
                        top = staging.resolve(staging.relativize(target).getName(0));
                    }
                    if (e.isDirectory()) {
                        Files.createDirectories(target);
                    } else {
                        Files.createDirectories(target.getParent());
                        Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
            if (top == null) {
                throw new IOException("empty zip " + zip);
            }
            List<Path> scripts = new ArrayList<>();
            try (Stream<Path> bin = Files.list(top.resolve("bin"))) {
                bin.filter(p -> p.toString().endsWith(".sh")).forEach(scripts::add);
            }
            for (Path s : scripts) {
                Files.setPosixFilePermissions(s, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
            Files.writeString(top.resolve(".unpacked"), zip.toString() + "\n");
            if (Files.exists(home)) {
                deleteTree(home); // an incomplete earlier attempt
            }
            Files.move(top, home, StandardCopyOption.ATOMIC_MOVE);
            deleteTree(staging);
            System.out.printf("Keycloak: unpacked %s into %s in %.1f s%n", zip.getFileName(), home,
                    (System.nanoTime() - t0) / 1e9);
            return home;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack " + zip, e);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
