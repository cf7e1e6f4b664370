/**
 * The gateway's fleet API as the page uses it. All paths are relative to the page's base (`<root>/`), so the page
 * works under any UrlRoot. The transport (fetch, EventSource) is passed in, so tests can script the gateway.
 */
import { _, format } from "../i18n";
import { parseHost, parseHosts, type Host } from "./host";

export interface Me {
    user: string;
    groups: string[];
}

export type HostsResult =
    | { kind: "ok"; hosts: Host[] }
    | { kind: "signed-out" }
    | { kind: "error"; message: string };

export type LoginResult = { ok: true } | { ok: false; message: string };

export interface InventoryStatus {
    /** Non-null: the inventory file is invalid and the previous one is still in use. */
    error: string | null;
    checked_at: string | null;
}

/** live: connected; reconnecting: the browser retries by itself; closed: it gave up (e.g. the answer was 401). */
export type Connection = "live" | "reconnecting" | "closed";

export interface EventHandlers {
    hosts(hosts: Host[]): void;
    host(host: Host): void;
    inventory(status: InventoryStatus): void;
    connection(state: Connection): void;
}

/** The part of `EventSource` the page uses. */
export interface EventStream {
    readonly readyState: number;
    addEventListener(type: string, listener: (event: MessageEvent) => void): void;
    close(): void;
}

export interface Transport {
    fetch: (url: string, init: RequestInit) => Promise<Response>;
    eventSource: (url: string) => EventStream;
}

const CLOSED = 2;

const reason = (r: Response): string => `${r.status} ${r.statusText}`.trim();

/** What the page shows when a host login fails: status, reason phrase and the body's message, if any. */
export function loginFailure(status: number, statusText: string, body: string): string {
    if (status === 0)
        return _("Cannot reach the gateway");
    let problem: string | null = null;
    let message: string | null = null;
    try {
        const json = JSON.parse(body) as unknown;
        if (json && typeof json === "object") {
            const o = json as Record<string, unknown>;
            problem = typeof o.problem === "string" ? o.problem : null;
            message = typeof o.message === "string" ? o.message : null;
        }
    } catch {
        // not JSON (an HTML error page): status and reason phrase say enough
    }
    // HTTP/2 has no reason phrase; the body's problem code stands in for it
    let text = `${status} ${statusText || problem || ""}`.trim();
    if (message && message !== statusText && message !== problem)
        text += ` — ${message}`;
    return text;
}

export class FleetApi {
    readonly base: string;
    private readonly transport: Transport;

    constructor(base: string, transport: Transport) {
        this.base = base;
        this.transport = transport;
    }

    /** `path` resolved against the base, as an absolute URL. */
    url(path: string): string {
        return new URL(path, this.base).href;
    }

    /** `GET fleet/api/hosts`. */
    async hosts(): Promise<HostsResult> {
        let response: Response;
        try {
            // manual: a gateway that redirects to the identity provider must not send fetch off to another origin
            response = await this.transport.fetch(this.url("fleet/api/hosts"), {
                credentials: "same-origin", cache: "no-store", redirect: "manual", headers: { Accept: "application/json" },
            });
        } catch (ex) {
            console.warn("fleet: host list request failed", ex);
            return { kind: "error", message: _("Cannot reach the gateway") };
        }
        if (response.status === 401 || response.type === "opaqueredirect")
            return { kind: "signed-out" };
        if (!response.ok)
            return { kind: "error", message: reason(response) };
        try {
            return { kind: "ok", hosts: parseHosts(await response.json()) };
        } catch (ex) {
            console.warn("fleet: bad host list", ex);
            return { kind: "error", message: _("The gateway sent an invalid host list") };
        }
    }

    /** `GET fleet/api/me`; null when it fails (the header then just shows no user). */
    async me(): Promise<Me | null> {
        try {
            const response = await this.transport.fetch(this.url("fleet/api/me"), {
                credentials: "same-origin", cache: "no-store", redirect: "manual", headers: { Accept: "application/json" },
            });
            if (!response.ok)
                return null;
            const json = await response.json() as Record<string, unknown>;
            if (typeof json?.user !== "string")
                return null;
            const groups = Array.isArray(json.groups) ? json.groups.filter((g): g is string => typeof g === "string") : [];
            return { user: json.user, groups };
        } catch (ex) {
            console.warn("fleet: user request failed", ex);
            return null;
        }
    }

    /** The host login (`GET cockpit+=<name>/login`) that must succeed before the host's Cockpit opens. */
    async login(name: string): Promise<LoginResult> {
        try {
            const response = await this.transport.fetch(this.url("cockpit+=" + encodeURIComponent(name) + "/login"), {
                credentials: "same-origin", cache: "no-store",
            });
            if (response.status === 200)
                return { ok: true };
            return { ok: false, message: loginFailure(response.status, response.statusText, await response.text()) };
        } catch (ex) {
            console.warn("fleet: host login request failed", ex);
            return { ok: false, message: loginFailure(0, "", "") };
        }
    }

    /** Where the host's Cockpit lives once logged in. */
    hostUrl(name: string): string {
        return this.url("=" + encodeURIComponent(name) + "/");
    }

    /** Subscribes to `GET fleet/api/events`; returns the stream (close it to stop). */
    events(handlers: EventHandlers): EventStream {
        const stream = this.transport.eventSource(this.url("fleet/api/events"));
        const json = (type: string, handle: (data: unknown) => void) => {
            stream.addEventListener(type, event => {
                try {
                    handle(JSON.parse(String(event.data)));
                } catch (ex) {
                    console.warn(format("fleet: ignoring bad $0 event", type), ex);
                }
            });
        };
        stream.addEventListener("open", () => handlers.connection("live"));
        stream.addEventListener("error", () => handlers.connection(stream.readyState === CLOSED ? "closed" : "reconnecting"));
        json("hosts", data => handlers.hosts(parseHosts(data)));
        json("host", data => {
            const host = parseHost(data);
            if (!host)
                throw new Error("host without a name");
            handlers.host(host);
        });
        json("inventory", data => {
            const o = (data && typeof data === "object" ? data : {}) as Record<string, unknown>;
            handlers.inventory({
                error: typeof o.error === "string" ? o.error : null,
                checked_at: typeof o.checked_at === "string" ? o.checked_at : null,
            });
        });
        return stream;
    }
}

/** The page's base: the gateway's `<base href="<root>/">`, or, without one, the path above `fleet/`. */
export function fleetBase(doc: Document, location: Location | URL): string {
    if (doc.querySelector("base[href]"))
        return doc.baseURI;
    const path = location.pathname;
    const at = path.lastIndexOf("/fleet/");
    const dir = at >= 0 ? path.substring(0, at + 1) : path.substring(0, path.lastIndexOf("/") + 1);
    return new URL(dir, location.href).href;
}
