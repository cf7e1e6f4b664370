// @vitest-environment happy-dom
/**
 * The fleet page in a DOM: the real fleet.html markup and controller against a scripted gateway (fetch and
 * EventSource are the only stand-ins; the browser test against the real gateway is separate).
 */
import { beforeEach, describe, expect, it } from "vitest";
import { fleetBase } from "../src/fleet/api";
import { rawHost, sampleHosts } from "./fleet-fixtures";
import { $, BASE, Gateway, json, row, rowNames, settle, tableText, typeFilter, visible } from "./fleet-harness";

let gw: Gateway;

function signedIn(hosts: unknown = sampleHosts()): Gateway {
    return gw.on("fleet/api/hosts", json(200, hosts)).on("fleet/api/me", json(200, { user: "alice", groups: ["ops", "dev"] }));
}

const th = (key: string) => document.querySelector(`#hosts th[data-sort="${key}"]`) as HTMLTableCellElement;
const click = (e: Element, init: MouseEventInit = {}) =>
    e.dispatchEvent(new MouseEvent("click", { bubbles: true, cancelable: true, button: 0, ...init }));

beforeEach(() => {
    gw = new Gateway();
});

describe("loading", () => {
    it("shows the loading state until the host list arrives", async () => {
        let release!: () => void;
        const held = new Promise<Response>(resolve => { release = () => resolve(json(200, sampleHosts())) });
        gw.on("fleet/api/hosts", held).on("fleet/api/me", json(200, { user: "alice", groups: [] }));
        const started = gw.start();
        expect(visible($("loading"))).toBe(true);
        expect(visible($("hosts-view"))).toBe(false);
        release();
        await started;
        expect(visible($("loading"))).toBe(false);
        expect(visible($("hosts-view"))).toBe(true);
    });

    it("asks the API relative to the base and follows the event stream", async () => {
        await signedIn().start();
        expect(gw.urls()).toEqual([BASE + "fleet/api/hosts", BASE + "fleet/api/me"]);
        expect(gw.requests[0].init.credentials).toBe("same-origin");
        expect(gw.streams.map(s => s.url)).toEqual([BASE + "fleet/api/events"]);
    });
});

describe("rendering", () => {
    it("shows one row per host with state, OS, uptime, load, failed units, labels and last check", async () => {
        await signedIn().start();
        expect(tableText()).toEqual([
            ["build-1 build-1.internal:2222", "Unknown", "— not known", "— not known", "— not known", "— not known", "env=dev", "— never"],
            ["db-2 db-2.internal", "Down connection refused", "— not known", "— not known", "— not known", "— not known", "env=dev role=db", "2 minutes ago"],
            ["web-1 web-1.internal", "Up", "Fedora Linux 41 (Cloud Edition)", "3 days", "1.50", "0", "env=prod role=web", "2 minutes ago"],
            ["web-10 web-10.internal", "Up", "CentOS Stream 9", "2 hours", "0.42", "2 failed units nginx.service chronyd.service", "env=prod role=web", "2 minutes ago"],
        ]);
        const web10 = row("web-10");
        expect([...web10.querySelectorAll(".fleet-unit-list li")].map(li => li.textContent)).toEqual(["nginx.service", "chronyd.service"]);
        expect(web10.querySelector("summary")?.title).toBe("nginx.service\nchronyd.service");
        expect(row("web-1").querySelectorAll(".pf-v6-c-label").length).toBe(2);
        expect(row("web-1").querySelector("[data-label=Load] span")?.getAttribute("title")).toBe("1, 5, 15 minutes: 1.50, 1.00, 0.50");
        expect(row("web-1").querySelector("time")?.getAttribute("datetime")).toBe("2026-11-30T11:58:00Z");
    });

    it("shows state as icon and text, not colour only", async () => {
        await signedIn().start();
        for (const [name, text] of [["web-1", "Up"], ["db-2", "Down"], ["build-1", "Unknown"]]) {
            const state = row(name).querySelector(".fleet-state")!;
            expect(state.querySelector("svg")).not.toBeNull();
            expect(state.textContent).toBe(text);
        }
    });

    it("links each host to its Cockpit under the base", async () => {
        await signedIn().start();
        expect(row("web-1").querySelector<HTMLAnchorElement>("a.fleet-host-link")!.href).toBe(BASE + "=web-1/");
    });

    it("counts hosts per state in the summary", async () => {
        await signedIn().start();
        expect($("summary").textContent!.replace(/\s+/g, " ").trim()).toBe("2 up · 1 down · 1 unknown");
        expect(visible($("shown"))).toBe(false);
    });

    it("shows the user and a sign-out form posting to fleet/sign-out", async () => {
        await signedIn().start();
        expect($("user-name").textContent).toBe("alice");
        expect($("user-groups").textContent).toBe("ops, dev");
        const form = $<HTMLFormElement>("sign-out");
        expect(visible(form)).toBe(true);
        expect(form.method).toBe("post");
        expect(form.action).toBe(BASE + "fleet/sign-out");
    });

    it("says so when the user may reach no host", async () => {
        await signedIn([]).start();
        expect(visible($("no-hosts"))).toBe(true);
        expect(visible($("hosts-view"))).toBe(false);
    });
});

describe("filtering", () => {
    it("filters by text over name, address, OS and labels", async () => {
        await signedIn().start();
        typeFilter("fedora");
        expect(rowNames()).toEqual(["web-1"]);
        typeFilter("role=db");
        expect(rowNames()).toEqual(["db-2"]);
        typeFilter("2222");
        expect(rowNames()).toEqual(["build-1"]);
        expect($("shown").textContent).toBe("showing 1 of 4");
        expect(visible($("shown"))).toBe(true);
        typeFilter("");
        expect(rowNames()).toHaveLength(4);
    });

    it("brings back the same rows when the filter is cleared, updated if their host changed meanwhile", async () => {
        await signedIn().start();
        const web1 = row("web-1");
        typeFilter("db-2");
        expect(rowNames()).toEqual(["db-2"]);
        gw.stream.emit("host", rawHost("web-1", { labels: { env: "prod", role: "web" }, os: "Debian GNU/Linux 13 (trixie)" }));
        expect(rowNames()).toEqual(["db-2"]);
        typeFilter("");
        expect(row("web-1")).toBe(web1);
        expect(web1.querySelector("[data-label='Operating system']")!.textContent).toBe("Debian GNU/Linux 13 (trixie)");
    });

    it("shows a no-match state with a way back", async () => {
        await signedIn().start();
        typeFilter("no-such-host");
        expect(rowNames()).toEqual([]);
        expect(visible($("no-match"))).toBe(true);
        click($("no-match-clear"));
        expect(rowNames()).toHaveLength(4);
        expect($<HTMLInputElement>("filter").value).toBe("");
        expect(visible($("no-match"))).toBe(false);
    });

    it("filters by label chips chosen from the select, and removes them again", async () => {
        await signedIn().start();
        const select = $<HTMLSelectElement>("label-select");
        expect([...select.options].map(o => o.textContent)).toEqual(["Filter by label", "env=dev", "env=prod", "role=db", "role=web"]);
        select.value = select.options[1].value;
        select.dispatchEvent(new Event("change"));
        expect(rowNames()).toEqual(["build-1", "db-2"]);
        expect(visible($("active-labels"))).toBe(true);
        expect($("active-labels-list").textContent).toBe("env=dev");
        // a chosen label leaves the select
        expect([...select.options].map(o => o.textContent)).not.toContain("env=dev");
        select.value = [...select.options].find(o => o.textContent === "role=db")!.value;
        select.dispatchEvent(new Event("change"));
        expect(rowNames()).toEqual(["db-2"]);
        click($("active-labels-list").querySelector("button[aria-label='Remove filter env=dev']")!);
        expect(rowNames()).toEqual(["db-2"]);
        click($("clear-filters"));
        expect(rowNames()).toHaveLength(4);
        expect(visible($("active-labels"))).toBe(false);
    });

    it("clears the text filter with Escape", async () => {
        await signedIn().start();
        typeFilter("web");
        $("filter").dispatchEvent(new KeyboardEvent("keydown", { key: "Escape", bubbles: true, cancelable: true }));
        expect(rowNames()).toHaveLength(4);
    });

    it("jumps to the filter with /", async () => {
        await signedIn().start();
        document.body.dispatchEvent(new KeyboardEvent("keydown", { key: "/", bubbles: true, cancelable: true }));
        expect(document.activeElement).toBe($("filter"));
    });
});

describe("sorting", () => {
    it("sorts by name first and marks it with aria-sort", async () => {
        await signedIn().start();
        expect(rowNames()).toEqual(["build-1", "db-2", "web-1", "web-10"]);
        expect(th("name").getAttribute("aria-sort")).toBe("ascending");
        expect(th("state").getAttribute("aria-sort")).toBe("none");
    });

    it("sorts by a column when its header is clicked, reversing on a second click", async () => {
        await signedIn().start();
        click(th("state").querySelector("button")!);
        expect(rowNames()).toEqual(["db-2", "build-1", "web-1", "web-10"]);
        expect(th("state").getAttribute("aria-sort")).toBe("ascending");
        expect(th("name").getAttribute("aria-sort")).toBe("none");
        click(th("state").querySelector("button")!);
        expect(rowNames()).toEqual(["web-1", "web-10", "build-1", "db-2"]);
        expect(th("state").getAttribute("aria-sort")).toBe("descending");
        click(th("load").querySelector("button")!);
        expect(rowNames()).toEqual(["web-10", "web-1", "build-1", "db-2"]);
    });

    it("keeps the row elements when only the order changes", async () => {
        await signedIn().start();
        const before = new Map(rowNames().map(n => [n, row(n!)]));
        click(th("name").querySelector("button")!);
        expect(rowNames()).toEqual(["web-10", "web-1", "db-2", "build-1"]);
        for (const [name, tr] of before)
            expect(row(name!)).toBe(tr);
    });
});

describe("live updates", () => {
    it("shows the connection state", async () => {
        await signedIn().start();
        gw.stream.open();
        expect($("live-text").textContent).toBe("Live");
        gw.stream.fail();
        expect($("live-text").textContent).toBe("Reconnecting…");
        expect($("live").dataset.state).toBe("reconnecting");
    });

    it("a host event replaces that host's row only", async () => {
        await signedIn().start();
        gw.stream.open();
        const rows = new Map(rowNames().map(n => [n, row(n!)]));
        const web1Os = row("web-1").querySelector("[data-label='Operating system']")!.firstChild;
        const web10State = row("web-10").querySelector("[data-label=State]")!.firstChild;
        const web10Os = row("web-10").querySelector("[data-label='Operating system']")!.firstChild;
        gw.stream.emit("host", rawHost("web-10", {
            labels: { env: "prod", role: "web" }, state: "down", reason: "timed out", os: "CentOS Stream 9",
            uptime_s: null, load: null, failed_units: null, checked_at: "2026-11-30T11:59:55Z",
        }));
        expect(tableText()[3]).toEqual(["web-10 web-10.internal", "Down timed out", "CentOS Stream 9", "— not known",
            "— not known", "— not known", "env=prod role=web", "now"]);
        for (const [name, tr] of rows)
            expect(row(name!)).toBe(tr);
        // cells whose content did not change are left alone, in the updated row as in the others
        expect(row("web-1").querySelector("[data-label='Operating system']")!.firstChild).toBe(web1Os);
        expect(row("web-10").querySelector("[data-label='Operating system']")!.firstChild).toBe(web10Os);
        expect(row("web-10").querySelector("[data-label=State]")!.firstChild).not.toBe(web10State);
        expect($("summary").textContent!.replace(/\s+/g, " ").trim()).toBe("1 up · 2 down · 1 unknown");
    });

    it("a host event that changes the sort position moves the row", async () => {
        await signedIn().start();
        click(th("load").querySelector("button")!);
        expect(rowNames()).toEqual(["web-10", "web-1", "build-1", "db-2"]);
        gw.stream.emit("host", rawHost("web-10", { labels: { env: "prod", role: "web" }, load: [9, 9, 9] }));
        expect(rowNames()).toEqual(["web-1", "web-10", "build-1", "db-2"]);
    });

    it("ignores a host event for a host the list does not have", async () => {
        await signedIn().start();
        gw.stream.emit("host", rawHost("intruder"));
        expect(rowNames()).toEqual(["build-1", "db-2", "web-1", "web-10"]);
    });

    it("a hosts event replaces the whole list", async () => {
        await signedIn().start();
        gw.stream.emit("hosts", [rawHost("web-1"), rawHost("new-1")]);
        expect(rowNames()).toEqual(["new-1", "web-1"]);
        expect($("summary").textContent!.replace(/\s+/g, " ").trim()).toBe("2 up · 0 down · 0 unknown");
    });

    it("ignores an event whose data is not JSON", async () => {
        await signedIn().start();
        gw.stream.emit("hosts", "{not json");
        gw.stream.emit("host", "[]");
        expect(rowNames()).toHaveLength(4);
    });

    it("shows the inventory error as a warning banner, and hides it when the inventory is fine again", async () => {
        await signedIn().start();
        expect(visible($("inventory-alert"))).toBe(false);
        gw.stream.emit("inventory", { error: "hosts[2]: name missing (line 7)", checked_at: "2026-11-30T11:59:00Z" });
        expect(visible($("inventory-alert"))).toBe(true);
        expect($("inventory-alert-message").textContent).toBe("hosts[2]: name missing (line 7)");
        expect($("inventory-alert-time").textContent).toBe("Checked 1 minute ago");
        gw.now += 5 * 60_000;
        gw.timers.intervals.forEach(t => t.fn());
        expect($("inventory-alert-time").textContent).toBe("Checked 6 minutes ago");
        gw.stream.emit("inventory", { error: null, checked_at: "2026-11-30T12:00:00Z" });
        expect(visible($("inventory-alert"))).toBe(false);
    });

    it("re-reads the relative times as the clock moves on", async () => {
        await signedIn().start();
        expect(tableText()[2][7]).toBe("2 minutes ago");
        gw.now += 60 * 60_000;
        gw.timers.intervals.forEach(t => t.fn());
        expect(tableText()[2][7]).toBe("1 hour ago");
    });

    it("when the stream gives up, asks the host list again later and shows the sign-in when the session is gone", async () => {
        await signedIn().start();
        const first = gw.stream;
        gw.on("fleet/api/hosts", new Response("", { status: 401, statusText: "Unauthorized" }));
        first.fail(true);
        expect(first.closed).toBe(true);
        expect($("live-text").textContent).toBe("Offline");
        expect(gw.timers.timeouts).toHaveLength(1);
        gw.timers.runTimeouts();
        await settle();
        await settle();
        expect(visible($("signed-out"))).toBe(true);
        expect(gw.streams).toHaveLength(1);
    });

    it("keeps the table, marked offline, when the re-check fails, and keeps trying", async () => {
        await signedIn().start();
        gw.on("fleet/api/hosts", new Response("", { status: 502, statusText: "Bad Gateway" }));
        gw.stream.fail(true);
        gw.timers.runTimeouts();
        await settle();
        await settle();
        expect(visible($("hosts-view"))).toBe(true);
        expect(visible($("load-error"))).toBe(false);
        expect($("live-text").textContent).toBe("Offline");
        expect($("live").title).toBe("502 Bad Gateway");
        expect(gw.timers.timeouts.map(t => t.ms)).toEqual([4000]);
    });

    it("reconnects after the stream gave up while the gateway still answers", async () => {
        await signedIn().start();
        gw.stream.fail(true);
        gw.timers.runTimeouts();
        await settle();
        await settle();
        expect(gw.streams).toHaveLength(2);
        expect(visible($("hosts-view"))).toBe(true);
    });
});

describe("sign-in and errors", () => {
    it("offers the sign-in link on 401 and opens no event stream", async () => {
        // even if the user endpoint still answered: without the host list there is nobody to show
        await gw.on("fleet/api/hosts", new Response("", { status: 401, statusText: "Unauthorized" }))
            .on("fleet/api/me", json(200, { user: "alice", groups: [] })).start();
        expect(visible($("signed-out"))).toBe(true);
        expect($<HTMLAnchorElement>("sign-in").href).toBe(BASE + "fleet/sign-in");
        expect(visible($("hosts-view"))).toBe(false);
        expect(visible($("sign-out"))).toBe(false);
        expect(visible($("user"))).toBe(false);
        expect(gw.streams).toHaveLength(0);
    });

    it("shows other errors with a retry that loads again", async () => {
        gw.on("fleet/api/hosts", new Response("boom", { status: 500, statusText: "Internal Server Error" }))
            .on("fleet/api/hosts", json(200, sampleHosts()))
            .on("fleet/api/me", json(200, { user: "alice", groups: [] }));
        await gw.start();
        expect(visible($("load-error"))).toBe(true);
        expect($("load-error-message").textContent).toBe("500 Internal Server Error");
        click($("retry"));
        await settle();
        await settle();
        expect(visible($("load-error"))).toBe(false);
        expect(rowNames()).toHaveLength(4);
    });

    it("says so when the host list is not valid JSON", async () => {
        await gw.on("fleet/api/hosts", new Response("<html>", { status: 200 })).start();
        expect(visible($("load-error"))).toBe(true);
        expect($("load-error-message").textContent).toBe("The gateway sent an invalid host list");
    });
});

describe("opening a host", () => {
    it("logs in to the host first, then navigates to its Cockpit", async () => {
        signedIn().on("cockpit+=web-1/login", json(200, { "csrf-token": "x" }));
        await gw.start();
        const link = row("web-1").querySelector("a.fleet-host-link")!;
        // Enter on a focused link makes the browser send it a click, as here
        click(link);
        expect(row("web-1").querySelector(".fleet-note")!.textContent).toBe("Connecting…");
        await settle();
        const login = gw.requests.find(r => r.url === BASE + "cockpit+=web-1/login")!;
        expect(login.init.credentials).toBe("same-origin");
        expect(gw.navigations).toEqual([BASE + "=web-1/"]);
    });

    it("opens the host from a click anywhere on its row", async () => {
        signedIn().on("cockpit+=db-2/login", json(200, {}));
        await gw.start();
        click(row("db-2").querySelector("[data-label='Operating system']")!);
        await settle();
        expect(gw.navigations).toEqual([BASE + "=db-2/"]);
    });

    it("leaves modified clicks and the failed-units list to the browser", async () => {
        await signedIn().start();
        click(row("web-1").querySelector("a.fleet-host-link")!, { ctrlKey: true });
        click(row("web-10").querySelector("summary")!);
        await settle();
        expect(gw.urls().filter(u => u.includes("cockpit+="))).toEqual([]);
    });

    it("shows a refused login on that host's row and stays", async () => {
        signedIn().on("cockpit+=web-10/login", json(403, { problem: "access-denied", message: "not granted" }, "Authentication failed: access-denied"));
        await gw.start();
        click(row("web-10").querySelector("a.fleet-host-link")!);
        await settle();
        await settle();
        expect(gw.navigations).toEqual([]);
        const note = row("web-10").querySelector(".fleet-note") as HTMLElement;
        expect(visible(note)).toBe(true);
        expect(note.getAttribute("role")).toBe("alert");
        expect(note.textContent).toBe("Cannot open web-10: 403 Authentication failed: access-denied — not granted");
        expect(visible(row("web-1").querySelector(".fleet-note"))).toBe(false);
    });

    it("encodes the name in the login URL", async () => {
        signedIn([rawHost("a b")]).on("cockpit+=a%20b/login", json(200, {}));
        await gw.start();
        click(row("a b").querySelector("a.fleet-host-link")!);
        await settle();
        expect(gw.navigations).toEqual([BASE + "=a%20b/"]);
    });
});

describe("hostile host data", () => {
    const evil = "<img src=x onerror=\"window.pwned=1\"><script>window.pwned=2</script>";

    it("renders PRETTY_NAME, unit names, labels, reasons and addresses as text", async () => {
        await signedIn([
            rawHost("vm-1", {
                os: evil, failed_units: [evil, "<b>x</b>.service"], labels: { [evil]: evil }, address: evil,
            }),
            rawHost("vm-2", { state: "down", reason: evil }),
        ]).start();
        gw.stream.emit("inventory", { error: evil, checked_at: null });
        const tbody = $("hosts-body");
        expect(tbody.querySelector("img, script, b")).toBeNull();
        expect(document.querySelector("img, script, b")).toBeNull();
        expect(row("vm-1").querySelector("[data-label='Operating system']")!.textContent).toBe(evil);
        expect([...row("vm-1").querySelectorAll(".fleet-unit-list li")].map(li => li.textContent)).toEqual([evil, "<b>x</b>.service"]);
        expect(row("vm-1").querySelector(".pf-v6-c-label__text")!.textContent).toBe(`${evil}=${evil}`);
        expect(row("vm-1").querySelector(".fleet-address")!.textContent).toBe(evil);
        expect(row("vm-2").querySelector(".fleet-reason")!.textContent).toBe(evil);
        expect($("inventory-alert-message").textContent).toBe(evil);
        expect((window as unknown as { pwned?: number }).pwned).toBeUndefined();
        // and the label select offers it as text too
        expect([...$<HTMLSelectElement>("label-select").options].map(o => o.textContent)).toContain(`${evil}=${evil}`);
    });

    it("shows a hostile login failure message as text", async () => {
        signedIn().on("cockpit+=web-1/login", json(500, { message: evil }, "Internal Server Error"));
        await gw.start();
        click(row("web-1").querySelector("a.fleet-host-link")!);
        await settle();
        await settle();
        expect(document.querySelector("img, script")).toBeNull();
        expect(row("web-1").querySelector(".fleet-note")!.textContent).toContain(evil);
    });
});

describe("fleetBase", () => {
    it("takes the gateway's base element", () => {
        document.head.innerHTML = `<base href="http://gw.test/root/">`;
        expect(fleetBase(document, new URL("http://gw.test/root/fleet/"))).toBe("http://gw.test/root/");
    });

    it("without one, takes the path above fleet/", () => {
        document.head.innerHTML = "";
        expect(fleetBase(document, new URL("http://gw.test/r/fleet/"))).toBe("http://gw.test/r/");
        expect(fleetBase(document, new URL("http://gw.test/fleet/"))).toBe("http://gw.test/");
    });
});
