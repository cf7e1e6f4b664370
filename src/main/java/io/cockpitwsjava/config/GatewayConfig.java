package io.cockpitwsjava.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Every knob of the gateway (application.properties or env vars such as {@code COCKPIT_WEB_REQUIRE_HOST}).
 * Options that also exist in Cockpit's {@code cockpit.conf} are optional here: when unset, the value from
 * cockpit.conf applies, then Cockpit's default (see {@link GatewaySettings}).
 */
@ConfigMapping(prefix = "cockpit")
public interface GatewayConfig {

    /** cockpit.conf files to read; default {@code /etc/cockpit/cockpit.conf} and {@code $XDG_CONFIG_DIRS/cockpit/cockpit.conf}. */
    Optional<List<Path>> confFiles();

    Web web();

    Ssh ssh();

    Assets assets();

    Session session();

    Limits limits();

    /** [WebService] options. */
    interface Web {
        /** Allowed WebSocket origins (fnmatch patterns); default {@code <protocol>://<Host>}. [WebService] Origins */
        Optional<List<String>> origins();

        /** Header giving the effective protocol. [WebService] ProtocolHeader */
        Optional<String> protocolHeader();

        /** Header giving the client address. [WebService] ForwardedForHeader */
        Optional<String> forwardedForHeader();

        /** Login page title. [WebService] LoginTitle */
        Optional<String> loginTitle();

        /** Show "Connect to" and allow host logins (default true). [WebService] LoginTo */
        Optional<Boolean> loginTo();

        /** The login page demands a host (default false). [WebService] RequireHost */
        Optional<Boolean> requireHost();

        /** Allow several hosts per session (default false). [WebService] AllowMultiHost */
        Optional<Boolean> allowMultihost();

        /** Concurrent login attempts: {@code N} or {@code start:rate:full} (default 10). [WebService] MaxStartups */
        Optional<String> maxStartups();

        /** Do not redirect plain HTTP to HTTPS (default false). [WebService] AllowUnencrypted */
        Optional<Boolean> allowUnencrypted();

        /** Running behind a TLS-terminating proxy: every request counts as https. */
        @WithDefault("false")
        boolean forTlsProxy();

        /** Serve everything below this path prefix, e.g. {@code /cockpit-gw}. [WebService] UrlRoot */
        Optional<String> urlRoot();

        /** Shell document path (default /shell/index.html). [WebService] Shell */
        Optional<String> shell();

        /**
         * Login page: {@code builtin} (ours, from the jar; falls back to Cockpit's when the jar was built with
         * {@code -Dskip.frontend}) or {@code cockpit} (Cockpit's login.html). CustomLoginPage, when set, wins.
         */
        @WithDefault("builtin")
        LoginPageSource loginPage();

        /** Directory with an alternative login.html. [WebService] CustomLoginPage */
        Optional<Path> customLoginPage();

        /** File whose text is shown on the login page. [Session] Banner */
        Optional<Path> banner();

        /**
         * A connection must deliver a complete request head within this long of being accepted or of its previous
         * response ending, else it is closed (cockpit-ws: 30 s). Bounds slow and idle clients, including ones that
         * send a byte every few seconds; a WebSocket is exempt once it is open.
         */
        @WithDefault("30s")
        Duration requestHeadTimeout();

        /**
         * {@code max-age} of the {@code Strict-Transport-Security} header sent on https responses (TLS listener,
         * {@code for-tls-proxy} or the protocol header saying https); {@code 0s} sends none. Never sent over plain
         * http.
         */
        @WithDefault("365d")
        Duration hstsMaxAge();
    }

    /** [Ssh-Login] options and the SSH client. */
    interface Ssh {
        /** Target of non-host applications (default 127.0.0.1). [Ssh-Login] host */
        Optional<String> defaultHost();

        /** Seconds to wait for progress on the target per login request (default 30, 1..900). [Ssh-Login] timeout */
        Optional<Integer> timeout();

        /** Seconds the user has to answer a prompt (default 60, 1..900). [Ssh-Login] response-timeout */
        Optional<Integer> responseTimeout();

        /** Prompt for unknown host keys even without the login page's permission header (default false). */
        Optional<Boolean> connectToUnknownHosts();

        /** auto, never, supported or always (default auto). [Ssh-Login] RemoteBridge */
        Optional<String> remoteBridge();

        /** Global known_hosts (default $COCKPIT_SSH_KNOWN_HOSTS_FILE, else /etc/ssh/ssh_known_hosts). */
        Optional<Path> knownHostsFile();

        /**
         * Hosts and ports a login may reach, {@code HOST[:PORTS]} ({@code [IPv6]:PORTS}); without {@code :PORTS} only
         * port 22. HOST is {@code *}, an address pattern checked on every resolved address ({@code 10.0.0.0/8},
         * {@code 10.0.0.*}, {@code fd00::/8}) or a name glob matched on the typed name ({@code *.example.com});
         * PORTS is {@code *}, a port or {@code low-high}. The {@code [Ssh-Login] host} is always allowed on its port.
         * Default: any host, port 22 only. See {@link io.cockpitwsjava.ssh.HostAccessPolicy}.
         */
        @WithDefault("*:22")
        List<String> allowedHosts();

        /** Addresses never reached, whatever allowed-hosts says (cloud metadata services by default). */
        @WithDefault("169.254.0.0/16,fd00:ec2::254/128")
        List<String> deniedAddresses();

        /**
         * How long a host has to show its SSH host key (TCP connect, version exchange, key exchange). Every
         * "cannot reach" answer is given this long after the request, so that a filtered port cannot be told from
         * a closed one. At most half of {@code timeout}.
         */
        @WithDefault("10s")
        Duration connectTimeout();

        /** SSH keep-alive interval so quiet pages are not dropped. */
        @WithDefault("30s")
        Duration heartbeat();

        /** MINA NIO worker threads: they only move bytes (no thread waits for a user's answer). */
        @WithDefault("16")
        int nioWorkers();
    }

    /** Where Cockpit's web assets and bridge come from. */
    interface Assets {
        /** Data directories searched for {@code cockpit/<package>/manifest.json}. */
        @WithDefault("/usr/local/share,/usr/share")
        List<Path> dataDirs();

        /** Configuration directories for {@code cockpit/<pkg>.override.json} and {@code cockpit/branding}. */
        @WithDefault("/etc")
        List<Path> configDirs();

        /** Prebuilt beipack; default: the installed cockpit-bridge package's, else packed from its Python module. */
        Optional<Path> beipack();

        /** Cockpit version of the shipped assets/bridge, for manifest {@code requires}. */
        @WithDefault("337")
        String bridgeVersion();
    }

    /**
     * Bounds on everything a client or a target controls (docs/SECURITY.md). The defaults fit the Helm chart's
     * 768 MiB memory limit with room for 500 sessions; exceeding one refuses that client or target only.
     */
    interface Limits {
        /** Largest frame accepted from a bridge (bytes of channel + payload); memory grows only as bytes arrive. */
        @WithDefault("16777216")
        int frameBytes();

        /**
         * Bytes of large partial frames (from 256 KiB on) that all bridges together may make the gateway hold; when
         * it is used up, the bridge holding the most is ended with {@code too-large}. Default: half the JVM's heap
         * limit.
         */
        java.util.OptionalLong targetBufferBytes();

        /** Bytes of one HTML document (shell, UrlRoot rewriting) buffered before it is sent. */
        @WithDefault("4194304")
        int documentBytes();

        /** Channels open at once in one session (all its WebSockets and HTTP channels). */
        @WithDefault("2048")
        int channelsPerSession();

        /** Logged-in sessions at once from one client address (an IPv6 client is its /64); 0 turns it off. */
        @WithDefault("64")
        int sessionsPerClient();

        /** Logged-in sessions at once in this gateway; 0 turns it off. */
        @WithDefault("1000")
        int sessions();

        /**
         * Login attempts in progress at once from one client address (connecting, authenticating, booting: not
         * waiting for the user) and multi-host peers of its sessions connecting; 0 turns it off.
         */
        @WithDefault("4")
        int loginsPerClient();

        /**
         * Logins waiting for the user's answer to a prompt (host key, one-time password), in this gateway; they do
         * not count for MaxStartups. 0 turns it off.
         */
        @WithDefault("100")
        int pendingPrompts();

        /** Logins waiting for the user's answer to a prompt, per client address; 0 turns it off. */
        @WithDefault("10")
        int pendingPromptsPerClient();

        /**
         * Failed logins (wrong credentials, unreachable host) from one client address within {@link #failureWindow()}
         * before its logins are refused until the window closes; 0 turns it off.
         */
        @WithDefault("10")
        int failuresPerClient();

        /**
         * Failed logins (wrong credentials) for one target user ({@code user@host:port}) within
         * {@link #failureWindow()} before logins as that user are refused until the window closes; 0 turns it off.
         * Keep it at least twice {@link #failuresPerClient()}, so that one address alone cannot lock a user out.
         */
        @WithDefault("20")
        int failuresPerUser();

        /** The window failed logins are counted in. */
        @WithDefault("5m")
        Duration failureWindow();

        /**
         * Multi-host peers (bridges on other hosts) one session has at once, connecting or connected. Each is an SSH
         * connection and a bridge, like a session of its own. 0 turns it off.
         */
        @WithDefault("16")
        int peersPerSession();
    }

    /** Session life cycle. */
    interface Session {
        /** A session without any open WebSocket is destroyed after this long. */
        @WithDefault("15s")
        Duration idleGrace();

        /** Interval of the gateway's keep-alive pings to every WebSocket. */
        @WithDefault("5s")
        Duration pingInterval();

        /** Password retention after the bridge's init (wiped at the latest then). */
        @WithDefault("2m")
        Duration passwordRetention();
    }
}
