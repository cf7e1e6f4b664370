package io.cockpitwsjava.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The effective configuration: a Quarkus/env value wins, then cockpit.conf, then Cockpit's default.
 * Built once at start-up; everything else reads this instead of re-parsing.
 */
public record GatewaySettings(
        List<String> origins,
        Optional<String> protocolHeader,
        Optional<String> forwardedForHeader,
        Optional<String> loginTitle,
        boolean loginTo,
        boolean requireHost,
        boolean allowMultiHost,
        MaxStartups maxStartups,
        boolean allowUnencrypted,
        boolean forTlsProxy,
        Optional<String> urlRoot,
        String shell,
        LoginPageSource loginPage,
        Optional<Path> customLoginPage,
        Optional<String> banner,
        boolean basicDisabled,
        String defaultHost,
        Duration loginTimeout,
        Duration responseTimeout,
        Duration connectTimeout,
        boolean connectToUnknownHosts,
        String remoteBridge,
        Path knownHostsFile,
        List<String> allowedHosts,
        List<String> deniedAddresses,
        Duration heartbeat,
        int nioWorkers,
        List<Path> dataDirs,
        List<Path> configDirs,
        Optional<Path> beipack,
        String bridgeVersion,
        Duration idleGrace,
        Duration pingInterval,
        Duration passwordRetention,
        GatewayConfig.Limits limits,
        Duration requestHeadTimeout,
        Duration hstsMaxAge) {

    /** Merges the Quarkus configuration with cockpit.conf. */
    public static GatewaySettings from(GatewayConfig c, CockpitConf conf, Map<String, String> env) {
        GatewayConfig.Web w = c.web();
        GatewayConfig.Ssh s = c.ssh();
        String ws = "WebService";
        String ssh = "Ssh-Login";
        List<String> origins = w.origins().orElseGet(() -> conf.get(ws, "Origins")
                .map(v -> Arrays.stream(v.split(" ")).filter(x -> !x.isEmpty()).toList()).orElse(List.of()));
        Optional<Path> bannerFile = w.banner().or(() -> conf.get("Session", "Banner").map(Path::of));
        Optional<String> banner = bannerFile.flatMap(GatewaySettings::readText);
        Duration loginTimeout = Duration.ofSeconds(clamp(s.timeout().or(() -> conf.unsigned(ssh, "timeout", 1, 900))
                .orElse(30)));
        Path knownHosts = s.knownHostsFile().orElseGet(() -> Path.of(
                Optional.ofNullable(env.get("COCKPIT_SSH_KNOWN_HOSTS_FILE")).filter(v -> !v.isBlank())
                        .orElse("/etc/ssh/ssh_known_hosts")));
        return new GatewaySettings(
                origins,
                w.protocolHeader().or(() -> conf.get(ws, "ProtocolHeader")),
                w.forwardedForHeader().or(() -> conf.get(ws, "ForwardedForHeader")),
                w.loginTitle().or(() -> conf.get(ws, "LoginTitle")),
                w.loginTo().or(() -> conf.bool(ws, "LoginTo")).orElse(true),
                w.requireHost().or(() -> conf.bool(ws, "RequireHost")).orElse(false),
                w.allowMultihost().or(() -> conf.bool(ws, "AllowMultiHost")).orElse(false),
                MaxStartups.parse(w.maxStartups().or(() -> conf.get(ws, "MaxStartups")).orElse(null)),
                w.allowUnencrypted().or(() -> conf.bool(ws, "AllowUnencrypted")).orElse(false),
                w.forTlsProxy(),
                normalizeUrlRoot(w.urlRoot().or(() -> conf.get(ws, "UrlRoot")).orElse(null)),
                w.shell().or(() -> conf.get(ws, "Shell")).orElse("/shell/index.html"),
                w.loginPage(),
                w.customLoginPage().or(() -> conf.get(ws, "CustomLoginPage").map(Path::of)),
                banner,
                conf.get("basic", "action").map(v -> v.strip().equalsIgnoreCase("none")).orElse(false),
                s.defaultHost().or(() -> conf.get(ssh, "host")).orElse("127.0.0.1"),
                loginTimeout,
                Duration.ofSeconds(clamp(s.responseTimeout().or(() -> conf.unsigned(ssh, "response-timeout", 1, 900)).orElse(60))),
                connectTimeout(s.connectTimeout(), loginTimeout),
                s.connectToUnknownHosts().or(() -> conf.bool(ssh, "connectToUnknownHosts")).orElse(false),
                s.remoteBridge().or(() -> conf.get(ssh, "RemoteBridge")).orElse("auto"),
                knownHosts,
                s.allowedHosts(),
                s.deniedAddresses(),
                s.heartbeat(),
                s.nioWorkers(),
                c.assets().dataDirs(),
                c.assets().configDirs(),
                c.assets().beipack(),
                c.assets().bridgeVersion(),
                c.session().idleGrace(),
                c.session().pingInterval(),
                c.session().passwordRetention(),
                c.limits(),
                positive(w.requestHeadTimeout(), "cockpit.web.request-head-timeout"),
                w.hstsMaxAge().isNegative() ? Duration.ZERO : w.hstsMaxAge());
    }

    /** Exactly one leading slash, none trailing; empty or "/" means no prefix. */
    static Optional<String> normalizeUrlRoot(String root) {
        if (root == null) {
            return Optional.empty();
        }
        String r = root.strip().replaceAll("^/+", "").replaceAll("/+$", "");
        return r.isEmpty() ? Optional.empty() : Optional.of("/" + r);
    }

    /**
     * The configured connect timeout, at most half the login timeout: the "cannot reach" answer must come before the
     * login request's own deadline turns it into a {@code timeout}.
     */
    static Duration connectTimeout(Duration configured, Duration loginTimeout) {
        Duration half = loginTimeout.dividedBy(2);
        return configured.isNegative() || configured.isZero() || configured.compareTo(half) > 0 ? half : configured;
    }

    private static Duration positive(Duration d, String name) {
        if (d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException(name + " must be positive");
        }
        return d;
    }

    private static int clamp(int seconds) {
        return Math.max(1, Math.min(900, seconds));
    }

    private static Optional<String> readText(Path file) {
        try {
            return Optional.of(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
