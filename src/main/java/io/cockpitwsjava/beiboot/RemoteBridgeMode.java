package io.cockpitwsjava.beiboot;

import java.util.Locale;

/**
 * How the gateway gets a bridge onto the target ({@code [Ssh-Login] RemoteBridge}, docs/beiboot.md §7).
 */
public enum RemoteBridgeMode {
    /** Use an installed {@code cockpit-bridge}, else beiboot. */
    AUTO,
    /** Always beiboot, even if a bridge is installed. */
    NEVER,
    /** Use an installed bridge; beiboot only onto supported operating systems. */
    SUPPORTED,
    /** Require an installed bridge; fail with {@code no-cockpit} otherwise. */
    ALWAYS;

    /**
     * Parses a configuration value, ignoring case.
     *
     * @throws IllegalArgumentException for anything but auto, never, supported, always
     */
    public static RemoteBridgeMode parse(String text) {
        if (text != null) {
            for (RemoteBridgeMode mode : values()) {
                if (mode.name().equalsIgnoreCase(text.trim())) {
                    return mode;
                }
            }
        }
        throw new IllegalArgumentException("invalid remote bridge mode: " + text
                + " (expected auto, never, supported or always)");
    }

    /** The lower-case name used in configuration and by upstream's {@code --remote-bridge}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
