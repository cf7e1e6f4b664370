/** Host lists for the fleet page tests, shaped like the gateway's `GET fleet/api/hosts` answer. */

export const NOW = Date.parse("2026-11-30T12:00:00Z");

export function rawHost(name: string, fields: Record<string, unknown> = {}): Record<string, unknown> {
    return {
        name,
        address: `${name}.internal`,
        labels: { env: "prod" },
        state: "up",
        os: "CentOS Stream 9",
        uptime_s: 3 * 86400 + 5,
        load: [0.42, 0.3, 0.1],
        failed_units: [],
        checked_at: "2026-11-30T11:58:00Z",
        ...fields,
    };
}

/** Four hosts: two up, one down, one never probed; labels env and role. */
export function sampleHosts(): Record<string, unknown>[] {
    return [
        rawHost("web-1", { labels: { env: "prod", role: "web" }, os: "Fedora Linux 41 (Cloud Edition)", load: [1.5, 1, 0.5] }),
        rawHost("web-10", { labels: { env: "prod", role: "web" }, failed_units: ["nginx.service", "chronyd.service"], uptime_s: 7200 }),
        rawHost("db-2", {
            labels: { env: "dev", role: "db" }, state: "down", os: null, uptime_s: null, load: null, failed_units: null,
            reason: "connection refused", kernel: "6.1", updates: 4, memory: { total_kib: 1, available_kib: 1 },
        }),
        rawHost("build-1", {
            labels: { env: "dev" }, address: "build-1.internal:2222", state: "unknown", os: null, uptime_s: null,
            load: null, failed_units: null, checked_at: null,
        }),
    ];
}

/** `n` hosts up, with a few labels each, for the size test. */
export function manyHosts(n: number): Record<string, unknown>[] {
    const out: Record<string, unknown>[] = [];
    for (let i = 0; i < n; i++) {
        out.push(rawHost(`vm-${i}`, {
            labels: { env: ["prod", "dev", "staging"][i % 3], role: ["web", "db", "cache", "build"][i % 4], zone: `z${i % 5}` },
            state: i % 17 === 0 ? "down" : "up",
            load: [i % 7 / 3, 0.5, 0.25],
            failed_units: i % 11 === 0 ? ["a.service", "b.service"] : [],
            uptime_s: 1000 + i * 3600,
        }));
    }
    return out;
}
