/**
 * The browser-side host key database, stored exactly like Cockpit's login page does: localStorage key
 * `known_hosts` holds a JSON object mapping a bare host name (no `user@`, no port, no IPv6 brackets) to
 * OpenSSH known_hosts lines. The lines travel to the gateway after the NUL in the Basic credentials.
 */

export const KNOWN_HOSTS_KEY = "known_hosts";

/**
 * Reduces a login target (`user@host`, `host:port`, `[v6]:port`, `v6`) to the database key. A trailing
 * `:digits` counts as a port only when it does not follow another colon, so `::1` stays intact.
 */
export function databaseHost(target: string): string {
    return target
            .replace(/^.*@/, "")
            .replace(/(?<!:):[0-9]+$/, "")
            .replace(/^\[/, "")
            .replace(/\]$/, "");
}

/** Reads and writes the `known_hosts` object; a corrupt value reads as empty rather than blocking logins. */
export class KnownHostsDatabase {
    constructor(private readonly storage: Storage) {}

    private read(): Record<string, string> {
        try {
            const parsed: unknown = JSON.parse(this.storage.getItem(KNOWN_HOSTS_KEY) || "{}");
            if (parsed && typeof parsed === "object" && !Array.isArray(parsed))
                return parsed as Record<string, string>;
        } catch (ex) {
            console.warn("known_hosts in localStorage is not valid JSON; ignoring it", ex);
        }
        return {};
    }

    /** The stored lines for a login target, or undefined when the host is unknown. */
    linesFor(target: string): string | undefined {
        const lines = this.read()[databaseHost(target)];
        return typeof lines === "string" && lines !== "" ? lines : undefined;
    }

    /** Replaces (does not amend) the lines for a host, as Cockpit does after a confirmed key. */
    store(target: string, lines: string): void {
        try {
            const db = this.read();
            db[databaseHost(target)] = lines;
            this.storage.setItem(KNOWN_HOSTS_KEY, JSON.stringify(db));
        } catch (ex) {
            console.warn("cannot write known_hosts to localStorage", ex);
        }
    }
}
