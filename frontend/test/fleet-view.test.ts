/** Pure logic of the fleet page: parsing untrusted host JSON, filters, sorting, counts, formats, login failures. */
import { describe, expect, it } from "vitest";
import { loginFailure } from "../src/fleet/api";
import { loadText, relativeTime, uptimeText } from "../src/fleet/format";
import { parseHost, parseHosts, type Host } from "../src/fleet/host";
import { comparator, labelChoices, matcher, stateCounts, visibleHosts, type Filter, type Sort } from "../src/fleet/view";
import { NOW, rawHost, sampleHosts } from "./fleet-fixtures";

const hosts = () => parseHosts(sampleHosts());
const names = (list: Host[]) => list.map(h => h.name);
const noFilter: Filter = { text: "", labels: [] };

describe("parseHosts", () => {
    it("reads every documented field and ignores unknown ones", () => {
        const [web1, , db2] = hosts();
        expect(web1).toEqual({
            name: "web-1", address: "web-1.internal", labels: { env: "prod", role: "web" }, state: "up",
            os: "Fedora Linux 41 (Cloud Edition)", uptime_s: 259205, load: [1.5, 1, 0.5], failed_units: [],
            checked_at: "2026-11-30T11:58:00Z", reason: null,
        });
        expect(db2.reason).toBe("connection refused");
        expect(db2).not.toHaveProperty("kernel");
    });

    it("reads wrong types as not known, an unknown state as unknown, and drops entries without a name", () => {
        const list = parseHosts([
            { name: "a", state: "exploded", os: 7, uptime_s: "long", load: [1, "x", 2], failed_units: "many", labels: [1] },
            { address: "nameless" },
            "not an object",
            { name: "" },
        ]);
        expect(list).toHaveLength(1);
        expect(list[0]).toMatchObject({ name: "a", state: "unknown", os: null, uptime_s: null, load: null, failed_units: null, labels: {} });
    });

    it("keeps the last of two entries with the same name", () => {
        expect(parseHosts([rawHost("a", { os: "one" }), rawHost("a", { os: "two" })]).map(h => h.os)).toEqual(["two"]);
    });

    it("refuses a document that is not a list", () => {
        expect(() => parseHosts({ hosts: [] })).toThrow();
        expect(parseHost(null)).toBeNull();
    });
});

describe("filter", () => {
    const run = (filter: Filter) => names(visibleHosts(hosts(), filter, { key: "name", ascending: true }));

    it("matches every term against name, address, OS and labels, case-insensitively", () => {
        expect(run({ ...noFilter, text: "FEDORA" })).toEqual(["web-1"]);
        expect(run({ ...noFilter, text: ":2222" })).toEqual(["build-1"]);
        expect(run({ ...noFilter, text: "role=db" })).toEqual(["db-2"]);
        expect(run({ ...noFilter, text: "web centos" })).toEqual(["web-10"]);
        expect(run({ ...noFilter, text: "  " })).toEqual(["build-1", "db-2", "web-1", "web-10"]);
        expect(run({ ...noFilter, text: "nothing-like-this" })).toEqual([]);
    });

    it("takes values of one label key as alternatives and different keys as all required", () => {
        expect(run({ text: "", labels: [{ key: "env", value: "dev" }] })).toEqual(["build-1", "db-2"]);
        expect(run({ text: "", labels: [{ key: "env", value: "dev" }, { key: "env", value: "prod" }] })).toHaveLength(4);
        expect(run({ text: "", labels: [{ key: "env", value: "dev" }, { key: "role", value: "db" }] })).toEqual(["db-2"]);
        expect(run({ text: "web", labels: [{ key: "env", value: "dev" }] })).toEqual([]);
    });

    it("does not treat inherited object properties as labels", () => {
        expect(matcher({ text: "", labels: [{ key: "constructor", value: "x" }] })(hosts()[0])).toBe(false);
    });
});

describe("sorting", () => {
    const sorted = (sort: Sort) => names(visibleHosts(hosts(), noFilter, sort));

    it("sorts names naturally (web-1 before web-10) in both directions", () => {
        const list = parseHosts([rawHost("web-10"), rawHost("web-2"), rawHost("web-1")]);
        expect(names(visibleHosts(list, noFilter, { key: "name", ascending: true }))).toEqual(["web-1", "web-2", "web-10"]);
        expect(names(visibleHosts(list, noFilter, { key: "name", ascending: false }))).toEqual(["web-10", "web-2", "web-1"]);
    });

    it("puts the worst state first when ascending", () => {
        expect(sorted({ key: "state", ascending: true })).toEqual(["db-2", "build-1", "web-1", "web-10"]);
        expect(sorted({ key: "state", ascending: false })).toEqual(["web-1", "web-10", "build-1", "db-2"]);
    });

    it("keeps hosts without a value last in either direction", () => {
        expect(sorted({ key: "load", ascending: true })).toEqual(["web-10", "web-1", "build-1", "db-2"]);
        expect(sorted({ key: "load", ascending: false })).toEqual(["web-1", "web-10", "build-1", "db-2"]);
        expect(sorted({ key: "failed", ascending: false })).toEqual(["web-10", "web-1", "build-1", "db-2"]);
        expect(sorted({ key: "uptime", ascending: true })).toEqual(["web-10", "web-1", "build-1", "db-2"]);
        expect(sorted({ key: "checked", ascending: true }).slice(-1)).toEqual(["build-1"]);
        expect(sorted({ key: "os", ascending: true })).toEqual(["web-10", "web-1", "build-1", "db-2"]);
    });

    it("is a total order: equal values fall back to the name", () => {
        const [a, b] = parseHosts([rawHost("b"), rawHost("a")]);
        expect(comparator({ key: "load", ascending: true })(a, b)).toBeGreaterThan(0);
        expect(comparator({ key: "load", ascending: false })(a, b)).toBeGreaterThan(0);
    });
});

describe("counts and label choices", () => {
    it("counts hosts per state", () => {
        expect(stateCounts(hosts())).toEqual({ up: 2, down: 1, unknown: 1 });
    });

    it("offers every label once, sorted", () => {
        expect(labelChoices(hosts()).map(l => `${l.key}=${l.value}`)).toEqual(["env=dev", "env=prod", "role=db", "role=web"]);
    });
});

describe("formats", () => {
    it("gives uptime in its largest whole unit", () => {
        expect(uptimeText(3 * 86400 + 7000, "en")).toBe("3 days");
        expect(uptimeText(86400, "en")).toBe("1 day");
        expect(uptimeText(7199, "en")).toBe("1 hour");
        expect(uptimeText(125, "en")).toBe("2 minutes");
        expect(uptimeText(5, "en")).toBe("less than a minute");
    });

    it("tells how long ago a probe was, tolerating a little clock skew", () => {
        expect(relativeTime("2026-11-30T11:58:00Z", NOW, "en")).toBe("2 minutes ago");
        expect(relativeTime("2026-11-30T11:59:30Z", NOW, "en")).toBe("30 seconds ago");
        expect(relativeTime("2026-11-30T12:00:03Z", NOW, "en")).toBe("now");
        expect(relativeTime("2026-11-28T11:00:00Z", NOW, "en")).toBe("2 days ago");
        expect(relativeTime("yesterday", NOW, "en")).toBeNull();
    });

    it("prints load with two decimals", () => {
        expect(loadText(0.4, "en")).toBe("0.40");
        expect(loadText(12.345, "en")).toBe("12.35");
    });
});

describe("loginFailure", () => {
    it("shows status, reason phrase and the body's message", () => {
        expect(loginFailure(403, "Authentication failed: access-denied", JSON.stringify({ problem: "access-denied", message: "not granted" })))
            .toBe("403 Authentication failed: access-denied — not granted");
    });

    it("does not repeat a message that equals the reason phrase, and ignores HTML bodies", () => {
        expect(loginFailure(401, "Authentication failed", JSON.stringify({ message: "Authentication failed" }))).toBe("401 Authentication failed");
        expect(loginFailure(502, "Bad Gateway", "<html>oops</html>")).toBe("502 Bad Gateway");
    });

    it("uses the problem code where HTTP/2 has no reason phrase, and says when the gateway is unreachable", () => {
        expect(loginFailure(401, "", JSON.stringify({ problem: "unknown-host" }))).toBe("401 unknown-host");
        expect(loginFailure(0, "", "")).toBe("Cannot reach the gateway");
    });
});
