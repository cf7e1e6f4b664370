/** Which hosts the table shows and in which order: text and label filters, column sorting, state counts. */
import type { Host, HostState } from "./host";

export interface Label {
    key: string;
    value: string;
}

export interface Filter {
    /** Whitespace-separated terms; each must occur (case-insensitively) in name, address, OS or a label. */
    text: string;
    /** Labels a host must carry: values of one key are alternatives, different keys must all match. */
    labels: readonly Label[];
}

export type SortKey = "name" | "state" | "os" | "uptime" | "load" | "failed" | "checked";

export interface Sort {
    key: SortKey;
    ascending: boolean;
}

export const labelText = (l: Label): string => `${l.key}=${l.value}`;

const haystacks = new WeakMap<Host, string>();

function haystack(host: Host): string {
    let text = haystacks.get(host);
    if (text === undefined) {
        const parts = [host.name, host.address, host.os ?? ""];
        for (const [key, value] of Object.entries(host.labels))
            parts.push(`${key}=${value}`);
        text = parts.join("\n").toLowerCase();
        haystacks.set(host, text);
    }
    return text;
}

/** The filter's text split into lower-case terms. */
export function terms(text: string): string[] {
    return text.toLowerCase().split(/\s+/).filter(t => t !== "");
}

export function isFiltering(filter: Filter): boolean {
    return terms(filter.text).length > 0 || filter.labels.length > 0;
}

/** A predicate for the hosts that pass `filter`. */
export function matcher(filter: Filter): (host: Host) => boolean {
    const words = terms(filter.text);
    const wanted = new Map<string, Set<string>>();
    for (const l of filter.labels) {
        let values = wanted.get(l.key);
        if (!values)
            wanted.set(l.key, values = new Set());
        values.add(l.value);
    }
    return host => {
        for (const [key, values] of wanted) {
            const value = Object.prototype.hasOwnProperty.call(host.labels, key) ? host.labels[key] : undefined;
            if (value === undefined || !values.has(value))
                return false;
        }
        if (words.length === 0)
            return true;
        const text = haystack(host);
        return words.every(w => text.includes(w));
    };
}

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: "base" });
const SEVERITY: Record<HostState, number> = { down: 0, unknown: 1, up: 2 };

function sortValue(host: Host, key: SortKey): string | number | null {
    switch (key) {
    case "name": return host.name;
    case "state": return SEVERITY[host.state];
    case "os": return host.os;
    case "uptime": return host.uptime_s;
    case "load": return host.load ? host.load[0] : null;
    case "failed": return host.failed_units ? host.failed_units.length : null;
    case "checked": {
        const t = host.checked_at === null ? NaN : Date.parse(host.checked_at);
        return Number.isNaN(t) ? null : t;
    }
    }
}

/** A comparator for `sort`; hosts without a value come last in either direction, ties go by name. */
export function comparator(sort: Sort): (a: Host, b: Host) => number {
    const byName = (a: Host, b: Host) => collator.compare(a.name, b.name) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
    return (a, b) => {
        const va = sortValue(a, sort.key);
        const vb = sortValue(b, sort.key);
        if (va === null || vb === null) {
            if (va !== vb)
                return va === null ? 1 : -1;
        } else {
            const c = typeof va === "string" || typeof vb === "string"
                ? collator.compare(String(va), String(vb))
                : va - vb;
            if (c !== 0)
                return sort.ascending ? c : -c;
        }
        const n = byName(a, b);
        return sort.key === "name" && !sort.ascending ? -n : n;
    };
}

/** The hosts that pass `filter`, in `sort` order. */
export function visibleHosts(hosts: Iterable<Host>, filter: Filter, sort: Sort): Host[] {
    const keep = matcher(filter);
    const out: Host[] = [];
    for (const h of hosts) {
        if (keep(h))
            out.push(h);
    }
    return out.sort(comparator(sort));
}

export function stateCounts(hosts: Iterable<Host>): Record<HostState, number> {
    const counts: Record<HostState, number> = { up: 0, down: 0, unknown: 0 };
    for (const h of hosts)
        counts[h.state]++;
    return counts;
}

/** Every label of every host, once, sorted by key then value: the choices of the label filter. */
export function labelChoices(hosts: Iterable<Host>): Label[] {
    const seen = new Map<string, Label>();
    for (const h of hosts) {
        for (const [key, value] of Object.entries(h.labels))
            seen.set(JSON.stringify([key, value]), { key, value });
    }
    return [...seen.values()].sort((a, b) => collator.compare(a.key, b.key) || collator.compare(a.value, b.value));
}

export const sameLabel = (a: Label, b: Label): boolean => a.key === b.key && a.value === b.value;
