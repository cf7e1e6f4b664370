package io.cockpitwsjava.ssh;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Settings of the gateway's one SSH client.
 *
 * @param connectTimeout   TCP connect plus key exchange ({@code [Ssh-Login] timeout})
 * @param authTimeout      user authentication, not counting time the user spends answering prompts
 *                         ({@code [Ssh-Login] timeout})
 * @param heartbeat        SSH keep-alive interval (0 = off)
 * @param globalKnownHosts the system-wide known_hosts file ({@code $COCKPIT_SSH_KNOWN_HOSTS_FILE}, default
 *                         {@code /etc/ssh/ssh_known_hosts}); read at every login; null = none
 * @param env              environment for {@code COCKPIT_SSH_KEY_PATH_<HOST>}, {@code COCKPIT_SSH_KEY_PATH},
 *                         {@code SSH_AUTH_SOCK}
 * @param nioWorkers       MINA NIO2 worker threads; they only move bytes: prompts are answered asynchronously
 *                         ({@link LoginPrompts}), so no thread waits while a user reads one
 * @param responseTimeout  how long a prompt waits for the user ({@code [Ssh-Login] response-timeout})
 */
public record SshSettings(Duration connectTimeout, Duration authTimeout, Duration heartbeat, Path globalKnownHosts,
        Map<String, String> env, int nioWorkers, Duration responseTimeout) {

    public static final Path DEFAULT_GLOBAL_KNOWN_HOSTS = Path.of("/etc/ssh/ssh_known_hosts");
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_RESPONSE_TIMEOUT = Duration.ofSeconds(60);
    public static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(30);

    public SshSettings {
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(authTimeout, "authTimeout");
        heartbeat = Objects.requireNonNullElse(heartbeat, Duration.ZERO);
        env = env == null ? Map.of() : Map.copyOf(env);
        responseTimeout = Objects.requireNonNullElse(responseTimeout, DEFAULT_RESPONSE_TIMEOUT);
        if (nioWorkers < 1) {
            throw new IllegalArgumentException("nioWorkers must be >= 1");
        }
    }

    /** Without a response timeout (60 s). */
    public SshSettings(Duration connectTimeout, Duration authTimeout, Duration heartbeat, Path globalKnownHosts,
            Map<String, String> env, int nioWorkers) {
        this(connectTimeout, authTimeout, heartbeat, globalKnownHosts, env, nioWorkers, DEFAULT_RESPONSE_TIMEOUT);
    }

    /** 30 s timeouts, 30 s heartbeat, the process environment, global file from the environment. */
    public static SshSettings defaults() {
        return defaults(System.getenv());
    }

    /** Defaults, reading {@code COCKPIT_SSH_KNOWN_HOSTS_FILE} and the key/agent variables from {@code env}. */
    public static SshSettings defaults(Map<String, String> env) {
        String global = env.get("COCKPIT_SSH_KNOWN_HOSTS_FILE");
        Path globalFile = global == null || global.isEmpty() ? DEFAULT_GLOBAL_KNOWN_HOSTS : Path.of(global);
        int workers = Math.max(16, Runtime.getRuntime().availableProcessors() + 1);
        return new SshSettings(DEFAULT_TIMEOUT, DEFAULT_TIMEOUT, DEFAULT_HEARTBEAT, globalFile, env, workers,
                DEFAULT_RESPONSE_TIMEOUT);
    }

    public SshSettings withEnv(Map<String, String> newEnv) {
        return new SshSettings(connectTimeout, authTimeout, heartbeat, globalKnownHosts, newEnv, nioWorkers,
                responseTimeout);
    }

    public SshSettings withGlobalKnownHosts(Path file) {
        return new SshSettings(connectTimeout, authTimeout, heartbeat, file, env, nioWorkers, responseTimeout);
    }

    public SshSettings withTimeouts(Duration connect, Duration auth) {
        return new SshSettings(connect, auth, heartbeat, globalKnownHosts, env, nioWorkers, responseTimeout);
    }
}
