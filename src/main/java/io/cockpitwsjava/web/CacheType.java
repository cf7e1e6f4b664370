package io.cockpitwsjava.web;

/** cockpit-ws cache classes of a handler (docs/protocol.md §1.5). */
public enum CacheType {
    NONE, NO_CACHE, CACHE
}
