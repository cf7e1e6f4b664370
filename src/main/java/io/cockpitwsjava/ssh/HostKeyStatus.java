package io.cockpitwsjava.ssh;

/** What a trusted known-hosts set says about a host key offered by a server. */
public enum HostKeyStatus {
    /** An entry for this host holds exactly this key. */
    TRUSTED,
    /** The host has entries, but none with this key, or this key is {@code @revoked}. */
    CHANGED,
    /** No entry names this host. */
    UNKNOWN
}
