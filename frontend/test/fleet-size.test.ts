// @vitest-environment happy-dom
/**
 * The page at 200 hosts. The times are measured and reported (test annotations), not asserted: happy-dom is not a
 * browser and this machine's load varies. What is asserted is that the work stays incremental: a host event
 * touches one row and rebuilds no other.
 */
import { describe, expect, it } from "vitest";
import { manyHosts, rawHost } from "./fleet-fixtures";
import { $, Gateway, json, row, rowNames, typeFilter } from "./fleet-harness";

const N = 200;

function ms(start: number): string {
    return (performance.now() - start).toFixed(1) + " ms";
}

describe(`${N} hosts`, () => {
    it("renders, updates, filters and sorts", async ({ annotate }) => {
        const gw = new Gateway()
            .on("fleet/api/hosts", json(200, []))
            .on("fleet/api/me", json(200, { user: "alice", groups: [] }));
        await gw.start();
        const hosts = manyHosts(N);

        let t = performance.now();
        gw.stream.emit("hosts", hosts);
        const initial = ms(t);
        expect(rowNames()).toHaveLength(N);
        expect($("hosts-body").querySelectorAll("td, th").length).toBe(N * 8);

        const before = new Map(rowNames().map(n => [n, row(n!)]));
        const untouched = row("vm-1").querySelector("[data-label=Labels]")!.firstChild;
        t = performance.now();
        for (let i = 0; i < N; i++)
            gw.stream.emit("host", { ...hosts[i], checked_at: "2026-11-30T11:59:59Z", load: [0.1, 0.1, 0.1] });
        const events = ms(t);
        for (const [name, tr] of before)
            expect(row(name!)).toBe(tr);
        expect(row("vm-1").querySelector("[data-label=Labels]")!.firstChild).toBe(untouched);
        expect(row("vm-7").querySelector("[data-label=Load]")!.textContent).toBe("0.10");

        t = performance.now();
        gw.stream.emit("host", rawHost("vm-5", { state: "down", labels: (hosts[5] as { labels: unknown }).labels }));
        const oneEvent = ms(t);

        t = performance.now();
        typeFilter("staging");
        const filter = ms(t);
        expect(rowNames().length).toBe(Math.ceil((N - 2) / 3));
        typeFilter("");

        t = performance.now();
        (document.querySelector("#hosts th[data-sort=load] button") as HTMLButtonElement).click();
        const sort = ms(t);
        expect(rowNames()).toHaveLength(N);

        const report = (`${N} hosts in happy-dom: first render ${initial}, ${N} host events ${events}, ` +
            `one host event ${oneEvent}, text filter ${filter}, re-sort ${sort}`);
        await annotate(report);
        process.stderr.write("[fleet-size] " + report + "\n");
    });
});
