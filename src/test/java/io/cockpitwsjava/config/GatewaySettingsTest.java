package io.cockpitwsjava.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Precedence of {@link GatewaySettings#from}: Quarkus value, then cockpit.conf, then Cockpit's default. */
class GatewaySettingsTest {

    private static final CockpitConf FULL_CONF = CockpitConf.parse("""
            [WebService]
            Origins = https://a:9090  https://b:9090 \s
            ProtocolHeader = X-Forwarded-Proto
            ForwardedForHeader = X-Forwarded-For
            LoginTitle = Conf title
            LoginTo = false
            RequireHost = yes
            AllowMultiHost = 1
            MaxStartups = 20:50:200
            AllowUnencrypted = true
            Shell = /conf/shell.html
            CustomLoginPage = /conf/login
            [Ssh-Login]
            host = 10.0.0.9
            timeout = 5000
            response-timeout = 0
            connectToUnknownHosts = yes
            RemoteBridge = always
            [Basic]
            action = none
            """);

    @Test
    void defaultsWithoutAnyConfiguration() {
        GatewaySettings s = GatewaySettings.from(new Config(), CockpitConf.empty(), Map.of());
        assertEquals(List.of(), s.origins());
        assertEquals(Optional.empty(), s.protocolHeader());
        assertEquals(Optional.empty(), s.forwardedForHeader());
        assertEquals(Optional.empty(), s.loginTitle());
        assertTrue(s.loginTo());
        assertFalse(s.requireHost());
        assertFalse(s.allowMultiHost());
        assertEquals(MaxStartups.DEFAULT, s.maxStartups());
        assertFalse(s.allowUnencrypted());
        assertEquals("/shell/index.html", s.shell());
        assertEquals(Optional.empty(), s.customLoginPage());
        assertEquals(Optional.empty(), s.banner());
        assertFalse(s.basicDisabled());
        assertEquals("127.0.0.1", s.defaultHost());
        assertEquals(Duration.ofSeconds(30), s.loginTimeout());
        assertEquals(Duration.ofSeconds(60), s.responseTimeout());
        assertFalse(s.connectToUnknownHosts());
        assertEquals("auto", s.remoteBridge());
        assertEquals(Path.of("/etc/ssh/ssh_known_hosts"), s.knownHostsFile());
    }

    @Test
    void cockpitConfFillsWhatQuarkusLeavesUnset() {
        GatewaySettings s = GatewaySettings.from(new Config(), FULL_CONF, Map.of());
        assertEquals(List.of("https://a:9090", "https://b:9090"), s.origins());
        assertEquals(Optional.of("X-Forwarded-Proto"), s.protocolHeader());
        assertEquals(Optional.of("X-Forwarded-For"), s.forwardedForHeader());
        assertEquals(Optional.of("Conf title"), s.loginTitle());
        assertFalse(s.loginTo());
        assertTrue(s.requireHost());
        assertTrue(s.allowMultiHost());
        assertEquals(new MaxStartups(20, 50, 200), s.maxStartups());
        assertTrue(s.allowUnencrypted());
        assertEquals("/conf/shell.html", s.shell());
        assertEquals(Optional.of(Path.of("/conf/login")), s.customLoginPage());
        assertTrue(s.basicDisabled());
        assertEquals("10.0.0.9", s.defaultHost());
        assertEquals(Duration.ofSeconds(900), s.loginTimeout(), "clamped to 900");
        assertEquals(Duration.ofSeconds(1), s.responseTimeout(), "clamped to 1");
        assertTrue(s.connectToUnknownHosts());
        assertEquals("always", s.remoteBridge());
    }

    @Test
    void quarkusValuesWinOverCockpitConf() {
        Config c = new Config();
        c.web.origins = Optional.of(List.of("https://q"));
        c.web.protocolHeader = Optional.of("X-Proto");
        c.web.forwardedForHeader = Optional.of("X-For");
        c.web.loginTitle = Optional.of("Quarkus title");
        c.web.loginTo = Optional.of(true);
        c.web.requireHost = Optional.of(false);
        c.web.allowMultihost = Optional.of(false);
        c.web.maxStartups = Optional.of("3");
        c.web.allowUnencrypted = Optional.of(false);
        c.web.shell = Optional.of("/q/shell.html");
        c.web.customLoginPage = Optional.of(Path.of("/q/login"));
        c.ssh.defaultHost = Optional.of("q.example");
        c.ssh.timeout = Optional.of(12);
        c.ssh.responseTimeout = Optional.of(5000);
        c.ssh.connectToUnknownHosts = Optional.of(false);
        c.ssh.remoteBridge = Optional.of("never");
        GatewaySettings s = GatewaySettings.from(c, FULL_CONF, Map.of());
        assertEquals(List.of("https://q"), s.origins());
        assertEquals(Optional.of("X-Proto"), s.protocolHeader());
        assertEquals(Optional.of("X-For"), s.forwardedForHeader());
        assertEquals(Optional.of("Quarkus title"), s.loginTitle());
        assertTrue(s.loginTo());
        assertFalse(s.requireHost());
        assertFalse(s.allowMultiHost());
        assertEquals(new MaxStartups(3, 100, 3), s.maxStartups());
        assertFalse(s.allowUnencrypted());
        assertEquals("/q/shell.html", s.shell());
        assertEquals(Optional.of(Path.of("/q/login")), s.customLoginPage());
        assertEquals("q.example", s.defaultHost());
        assertEquals(Duration.ofSeconds(12), s.loginTimeout());
        assertEquals(Duration.ofSeconds(900), s.responseTimeout(), "Quarkus value clamped too");
        assertFalse(s.connectToUnknownHosts());
        assertEquals("never", s.remoteBridge());
    }

    @Test
    void bannerIsReadFromTheNamedFile(@TempDir Path dir) throws IOException {
        Path confBanner = Files.writeString(dir.resolve("conf-banner"), "from conf\n");
        Path quarkusBanner = Files.writeString(dir.resolve("q-banner"), "from quarkus\n");
        CockpitConf conf = CockpitConf.parse("[Session]\nBanner = " + confBanner + "\n");

        assertEquals(Optional.of("from conf\n"), GatewaySettings.from(new Config(), conf, Map.of()).banner());
        Config c = new Config();
        c.web.banner = Optional.of(quarkusBanner);
        assertEquals(Optional.of("from quarkus\n"), GatewaySettings.from(c, conf, Map.of()).banner());
        CockpitConf unreadable = CockpitConf.parse("[Session]\nBanner = " + dir.resolve("missing") + "\n");
        assertEquals(Optional.empty(), GatewaySettings.from(new Config(), unreadable, Map.of()).banner());
    }

    @Test
    void knownHostsFileFromConfigThenEnvironmentThenDefault() {
        Map<String, String> env = Map.of("COCKPIT_SSH_KNOWN_HOSTS_FILE", "/env/known_hosts");
        assertEquals(Path.of("/env/known_hosts"),
                GatewaySettings.from(new Config(), CockpitConf.empty(), env).knownHostsFile());
        assertEquals(Path.of("/etc/ssh/ssh_known_hosts"), GatewaySettings.from(new Config(), CockpitConf.empty(),
                Map.of("COCKPIT_SSH_KNOWN_HOSTS_FILE", " ")).knownHostsFile());
        Config c = new Config();
        c.ssh.knownHostsFile = Optional.of(Path.of("/q/known_hosts"));
        assertEquals(Path.of("/q/known_hosts"), GatewaySettings.from(c, CockpitConf.empty(), env).knownHostsFile());
    }

    @Test
    void basicActionOtherThanNoneKeepsPasswordLogins() {
        CockpitConf conf = CockpitConf.parse("[basic]\naction = remote-login-ssh\n");
        assertFalse(GatewaySettings.from(new Config(), conf, Map.of()).basicDisabled());
        CockpitConf none = CockpitConf.parse("[BASIC]\nAction = None\n");
        assertTrue(GatewaySettings.from(new Config(), none, Map.of()).basicDisabled());
    }

    @Test
    void gatewayOnlyOptionsPassThrough() {
        Config c = new Config();
        c.web.forTlsProxy = true;
        c.ssh.nioWorkers = 7;
        c.session.idleGrace = Duration.ofSeconds(3);
        GatewaySettings s = GatewaySettings.from(c, CockpitConf.empty(), Map.of());
        assertTrue(s.forTlsProxy());
        assertEquals(7, s.nioWorkers());
        assertEquals(List.of("*:22"), s.allowedHosts());
        assertEquals(List.of("169.254.0.0/16"), s.deniedAddresses());
        assertEquals(Duration.ofSeconds(3), s.idleGrace());
        assertEquals("337", s.bridgeVersion());
    }

    @Test
    void connectTimeoutIsAtMostHalfTheLoginTimeout() {
        Config c = new Config();
        assertEquals(Duration.ofSeconds(10), GatewaySettings.from(c, CockpitConf.empty(), Map.of()).connectTimeout());
        c.ssh.timeout = Optional.of(8);
        assertEquals(Duration.ofSeconds(4), GatewaySettings.from(c, CockpitConf.empty(), Map.of()).connectTimeout());
        CockpitConf conf = CockpitConf.parse("[Ssh-Login]\ntimeout = 6\n");
        assertEquals(Duration.ofSeconds(3), GatewaySettings.from(new Config(), conf, Map.of()).connectTimeout());
        c.ssh.timeout = Optional.of(60);
        c.ssh.connectTimeout = Duration.ZERO;
        assertEquals(Duration.ofSeconds(30), GatewaySettings.from(c, CockpitConf.empty(), Map.of()).connectTimeout());
    }

    /** Hand-written stand-in for the SmallRye mapping; fields hold what application.properties would. */
    static final class Config implements GatewayConfig {
        final WebValues web = new WebValues();
        final SshValues ssh = new SshValues();
        final AssetValues assets = new AssetValues();
        final SessionValues session = new SessionValues();

        @Override
        public Optional<List<Path>> confFiles() {
            return Optional.empty();
        }

        @Override
        public Web web() {
            return web;
        }

        @Override
        public Ssh ssh() {
            return ssh;
        }

        @Override
        public Assets assets() {
            return assets;
        }

        @Override
        public Session session() {
            return session;
        }

        @Override
        public Limits limits() {
            return new Limits() {
                public int frameBytes() { return 16 << 20; }
                public int documentBytes() { return 4 << 20; }
                public int channelsPerSession() { return 2048; }
                public int sessionsPerClient() { return 64; }
                public int sessions() { return 1000; }
                public int loginsPerClient() { return 4; }
                public int pendingPrompts() { return 100; }
                public int pendingPromptsPerClient() { return 10; }
                public int failuresPerClient() { return 10; }
                public int failuresPerUser() { return 20; }
                public Duration failureWindow() { return Duration.ofMinutes(5); }
                public int peersPerSession() { return 16; }
                public java.util.OptionalLong targetBufferBytes() { return java.util.OptionalLong.empty(); }
            };
        }
    }

    static final class WebValues implements GatewayConfig.Web {
        Optional<List<String>> origins = Optional.empty();
        Optional<String> protocolHeader = Optional.empty();
        Optional<String> forwardedForHeader = Optional.empty();
        Optional<String> loginTitle = Optional.empty();
        Optional<Boolean> loginTo = Optional.empty();
        Optional<Boolean> requireHost = Optional.empty();
        Optional<Boolean> allowMultihost = Optional.empty();
        Optional<String> maxStartups = Optional.empty();
        Optional<Boolean> allowUnencrypted = Optional.empty();
        boolean forTlsProxy;
        Optional<String> urlRoot = Optional.empty();
        Optional<String> shell = Optional.empty();
        Optional<Path> customLoginPage = Optional.empty();
        Optional<Path> banner = Optional.empty();

        public Optional<List<String>> origins() { return origins; }
        public Optional<String> protocolHeader() { return protocolHeader; }
        public Optional<String> forwardedForHeader() { return forwardedForHeader; }
        public Optional<String> loginTitle() { return loginTitle; }
        public Optional<Boolean> loginTo() { return loginTo; }
        public Optional<Boolean> requireHost() { return requireHost; }
        public Optional<Boolean> allowMultihost() { return allowMultihost; }
        public Optional<String> maxStartups() { return maxStartups; }
        public Optional<Boolean> allowUnencrypted() { return allowUnencrypted; }
        public boolean forTlsProxy() { return forTlsProxy; }
        public Optional<String> urlRoot() { return urlRoot; }
        public io.cockpitwsjava.config.LoginPageSource loginPage() { return io.cockpitwsjava.config.LoginPageSource.BUILTIN; }
        public Optional<String> shell() { return shell; }
        public Optional<Path> customLoginPage() { return customLoginPage; }
        public Optional<Path> banner() { return banner; }
        public Duration requestHeadTimeout() { return Duration.ofSeconds(30); }
        public Duration hstsMaxAge() { return Duration.ofDays(365); }
    }

    static final class SshValues implements GatewayConfig.Ssh {
        Optional<String> defaultHost = Optional.empty();
        Optional<Integer> timeout = Optional.empty();
        Optional<Integer> responseTimeout = Optional.empty();
        Optional<Boolean> connectToUnknownHosts = Optional.empty();
        Optional<String> remoteBridge = Optional.empty();
        Optional<Path> knownHostsFile = Optional.empty();
        List<String> allowedHosts = List.of("*:22");
        List<String> deniedAddresses = List.of("169.254.0.0/16");
        Duration connectTimeout = Duration.ofSeconds(10);
        Duration heartbeat = Duration.ofSeconds(30);
        int nioWorkers = 16;

        public Optional<String> defaultHost() { return defaultHost; }
        public Optional<Integer> timeout() { return timeout; }
        public Optional<Integer> responseTimeout() { return responseTimeout; }
        public Optional<Boolean> connectToUnknownHosts() { return connectToUnknownHosts; }
        public Optional<String> remoteBridge() { return remoteBridge; }
        public Optional<Path> knownHostsFile() { return knownHostsFile; }
        public List<String> allowedHosts() { return allowedHosts; }
        public List<String> deniedAddresses() { return deniedAddresses; }
        public Duration connectTimeout() { return connectTimeout; }
        public Duration heartbeat() { return heartbeat; }
        public int nioWorkers() { return nioWorkers; }
    }

    static final class AssetValues implements GatewayConfig.Assets {
        public List<Path> dataDirs() { return List.of(Path.of("/usr/share")); }
        public List<Path> configDirs() { return List.of(Path.of("/etc")); }
        public Optional<Path> beipack() { return Optional.empty(); }
        public String bridgeVersion() { return "337"; }
    }

    static final class SessionValues implements GatewayConfig.Session {
        Duration idleGrace = Duration.ofSeconds(15);

        public Duration idleGrace() { return idleGrace; }
        public Duration pingInterval() { return Duration.ofSeconds(5); }
        public Duration passwordRetention() { return Duration.ofMinutes(2); }
    }
}
