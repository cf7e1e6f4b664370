/**
 * A scripted gateway for the fleet page tests: the page's fetch and EventSource go here, and the test decides
 * every answer. The real page markup (fleet.html) and the real controller run in happy-dom.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { FleetApi, type EventStream } from "../src/fleet/api";
import { FleetPage, type Timers } from "../src/fleet/fleet-page";
import { NOW } from "./fleet-fixtures";

const markup = readFileSync(join(__dirname, "..", "fleet.html"), "utf8");
const body = markup.substring(markup.indexOf("<body>") + 6, markup.indexOf("</body>"));

export const BASE = "http://gw.test/root/";

/** An EventSource the test drives: `open()`, `emit(type, data)`, `fail(closed)`. */
export class FakeStream implements EventStream {
    readyState = 0;
    closed = false;
    private readonly listeners = new Map<string, ((event: MessageEvent) => void)[]>();

    constructor(readonly url: string) {}

    addEventListener(type: string, listener: (event: MessageEvent) => void): void {
        const list = this.listeners.get(type) ?? [];
        list.push(listener);
        this.listeners.set(type, list);
    }

    close(): void {
        this.readyState = 2;
        this.closed = true;
    }

    private dispatch(type: string, data?: string): void {
        for (const l of this.listeners.get(type) ?? [])
            l({ type, data } as MessageEvent);
    }

    open(): void {
        this.readyState = 1;
        this.dispatch("open");
    }

    emit(type: string, data: unknown): void {
        this.dispatch(type, typeof data === "string" ? data : JSON.stringify(data));
    }

    /** A dropped connection: the browser retries (CONNECTING) or, with `closed`, gives up (CLOSED). */
    fail(closed = false): void {
        this.readyState = closed ? 2 : 0;
        this.dispatch("error");
    }
}

type Answer = Response | Promise<Response> | (() => Response | Promise<Response>);

export function json(status: number, value: unknown, statusText = ""): Response {
    return new Response(JSON.stringify(value), { status, statusText, headers: { "Content-Type": "application/json" } });
}

/** Timers the test fires by hand. */
export class ManualTimers implements Timers {
    timeouts: { fn: () => void; ms: number; id: number }[] = [];
    intervals: { fn: () => void; ms: number; id: number }[] = [];
    private next = 1;

    setInterval(fn: () => void, ms: number): unknown {
        const id = this.next++;
        this.intervals.push({ fn, ms, id });
        return id;
    }

    clearInterval(id: unknown): void {
        this.intervals = this.intervals.filter(t => t.id !== id);
    }

    setTimeout(fn: () => void, ms: number): unknown {
        const id = this.next++;
        this.timeouts.push({ fn, ms, id });
        return id;
    }

    clearTimeout(id: unknown): void {
        this.timeouts = this.timeouts.filter(t => t.id !== id);
    }

    /** Runs the timeouts due now (in order) and forgets them. */
    runTimeouts(): void {
        const due = this.timeouts;
        this.timeouts = [];
        due.forEach(t => t.fn());
    }
}

export class Gateway {
    readonly requests: { url: string; init: RequestInit }[] = [];
    readonly streams: FakeStream[] = [];
    readonly navigations: string[] = [];
    readonly timers = new ManualTimers();
    private readonly answers = new Map<string, { answer: Answer; used: boolean }[]>();
    now = NOW;
    page!: FleetPage;

    /** Queues an answer for `path` (relative to the base); each is given once, the last one again and again. */
    on(path: string, answer: Answer): this {
        const list = this.answers.get(BASE + path) ?? [];
        list.push({ answer, used: false });
        this.answers.set(BASE + path, list);
        return this;
    }

    private answer(url: string): Promise<Response> {
        const list = this.answers.get(url);
        if (!list || list.length === 0)
            return Promise.resolve(new Response("not found", { status: 404, statusText: "Not Found" }));
        const entry = list.find(e => !e.used) ?? list[list.length - 1];
        entry.used = true;
        const a = entry.answer;
        const r = typeof a === "function" ? a() : a;
        // a Response body can be read once: hand out a copy
        return Promise.resolve(r).then(x => x.clone());
    }

    /** Loads the markup and starts the page; resolves when the first load finished. */
    start(): Promise<void> {
        document.head.innerHTML = `<base href="${BASE}">`;
        document.body.innerHTML = body;
        const api = new FleetApi(BASE, {
            fetch: (url, init) => {
                this.requests.push({ url, init });
                return this.answer(url);
            },
            eventSource: url => {
                const s = new FakeStream(url);
                this.streams.push(s);
                return s;
            },
        });
        this.page = new FleetPage({
            document,
            api,
            navigate: url => this.navigations.push(url),
            now: () => this.now,
            timers: this.timers,
            locale: "en",
        });
        return this.page.start();
    }

    get stream(): FakeStream {
        return this.streams[this.streams.length - 1];
    }

    urls(): string[] {
        return this.requests.map(r => r.url);
    }
}

export const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;

/** Whether the element and all its ancestors are shown. */
export function visible(e: Element | null): boolean {
    for (let x = e as HTMLElement | null; x; x = x.parentElement) {
        if (x.hidden)
            return false;
    }
    return e !== null;
}

export const settle = () => new Promise(resolve => setTimeout(resolve, 0));

/** The text of `e` as a reader meets it: its text nodes, separated by single spaces. */
export function words(e: Node): string {
    const parts: string[] = [];
    const walk = (n: Node) => {
        if (n.nodeType === 3)
            parts.push(n.textContent ?? "");
        n.childNodes.forEach(walk);
    };
    walk(e);
    return parts.join(" ").replace(/\s+/g, " ").trim();
}

/** The table as text: one array of cell texts per row. */
export function tableText(): string[][] {
    return [...$("hosts-body").querySelectorAll("tr")].map(tr => [...tr.children].map(words));
}

export const rowNames = () => [...$("hosts-body").querySelectorAll("tr")].map(tr => (tr as HTMLElement).dataset.host);

export function row(name: string): HTMLTableRowElement {
    const tr = [...$("hosts-body").querySelectorAll("tr")].find(r => (r as HTMLElement).dataset.host === name);
    if (!tr)
        throw new Error("no row for " + name);
    return tr as HTMLTableRowElement;
}

export function typeFilter(text: string): void {
    const input = $<HTMLInputElement>("filter");
    input.value = text;
    input.dispatchEvent(new Event("input", { bubbles: true }));
}
