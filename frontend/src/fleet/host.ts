/**
 * One host as the fleet API describes it (`GET fleet/api/hosts`, the `hosts` and `host` events). Every string in
 * it may come from the host itself (a hostile VM picks its PRETTY_NAME and unit names): the page only ever puts
 * these values into text nodes and attributes, never into markup.
 */
export type HostState = "up" | "down" | "unknown";

export const HOST_STATES: readonly HostState[] = ["up", "down", "unknown"];

export interface Host {
    name: string;
    address: string;
    labels: Readonly<Record<string, string>>;
    state: HostState;
    /** PRETTY_NAME of os-release. */
    os: string | null;
    uptime_s: number | null;
    /** Load average over 1, 5 and 15 minutes. */
    load: readonly [number, number, number] | null;
    /** null: not known (never probed, or down); the count is the length. */
    failed_units: readonly string[] | null;
    /** ISO-8601 time of the last probe. */
    checked_at: string | null;
    /** Why the host is down, when the prober knows. */
    reason: string | null;
}

const str = (v: unknown): string | null => typeof v === "string" ? v : null;
const num = (v: unknown): number | null => typeof v === "number" && Number.isFinite(v) ? v : null;

function labels(v: unknown): Record<string, string> {
    const out: Record<string, string> = {};
    if (v && typeof v === "object" && !Array.isArray(v)) {
        for (const [k, value] of Object.entries(v)) {
            if (typeof value === "string")
                out[k] = value;
            else if (typeof value === "number" || typeof value === "boolean")
                out[k] = String(value);
        }
    }
    return out;
}

function load(v: unknown): [number, number, number] | null {
    if (!Array.isArray(v) || v.length < 3)
        return null;
    const [a, b, c] = v.map(num);
    return a === null || b === null || c === null ? null : [a, b, c];
}

function units(v: unknown): string[] | null {
    return Array.isArray(v) ? v.filter((u): u is string => typeof u === "string") : null;
}

/**
 * One host from untrusted JSON, or null when it has no usable name. Unknown fields are ignored, fields of the
 * wrong type read as "not known", an unknown state as "unknown".
 */
export function parseHost(v: unknown): Host | null {
    if (!v || typeof v !== "object" || Array.isArray(v))
        return null;
    const o = v as Record<string, unknown>;
    const name = str(o.name);
    if (!name)
        return null;
    const state = HOST_STATES.includes(o.state as HostState) ? o.state as HostState : "unknown";
    return {
        name,
        address: str(o.address) ?? "",
        labels: labels(o.labels),
        state,
        os: str(o.os),
        uptime_s: num(o.uptime_s),
        load: load(o.load),
        failed_units: units(o.failed_units),
        checked_at: str(o.checked_at),
        reason: str(o.reason),
    };
}

/** The host list from untrusted JSON; entries without a name are dropped, a repeated name keeps its last entry. */
export function parseHosts(v: unknown): Host[] {
    if (!Array.isArray(v))
        throw new Error("host list is not a JSON array");
    const byName = new Map<string, Host>();
    for (const item of v) {
        const host = parseHost(item);
        if (host)
            byName.set(host.name, host);
    }
    return [...byName.values()];
}
