/**
 * The fleet page's controller: loads the hosts the signed-in user may reach, keeps them current from the event
 * stream, filters and sorts the table, and opens a host's Cockpit after its host login succeeded.
 */
import { _, format } from "../i18n";
import type { Connection, EventStream, FleetApi, InventoryStatus, Me } from "./api";
import { relativeTime } from "./format";
import type { Host } from "./host";
import { icon } from "./icons";
import { HostRows } from "./rows";
import {
    comparator, isFiltering, labelChoices, labelText, matcher, sameLabel, stateCounts, visibleHosts,
    type Filter, type Label, type Sort, type SortKey,
} from "./view";

export interface Timers {
    setInterval(fn: () => void, ms: number): unknown;
    clearInterval(id: unknown): void;
    setTimeout(fn: () => void, ms: number): unknown;
    clearTimeout(id: unknown): void;
}

export interface FleetPageOptions {
    document: Document;
    api: FleetApi;
    /** Leaves the page for a host's Cockpit. */
    navigate(url: string): void;
    now?: () => number;
    timers?: Timers;
    locale?: string;
}

type View = "loading" | "signed-out" | "error" | "ready";

/** How often "last checked" is re-read against the clock. */
const TIME_REFRESH_MS = 15_000;
/** First and longest wait before asking again after the event stream gave up. */
const RETRY_MIN_MS = 2_000;
const RETRY_MAX_MS = 60_000;

const SORT_KEYS: readonly SortKey[] = ["name", "state", "os", "uptime", "load", "failed", "checked"];

export class FleetPage {
    private readonly doc: Document;
    private readonly api: FleetApi;
    private readonly navigate: (url: string) => void;
    private readonly now: () => number;
    private readonly timers: Timers;
    private readonly locale?: string;
    private readonly rows: HostRows;

    private hosts = new Map<string, Host>();
    /** The visible hosts in table order, as last rendered. */
    private order: Host[] = [];
    private filter: Filter = { text: "", labels: [] };
    private sort: Sort = { key: "name", ascending: true };
    private view: View = "loading";
    private stream: EventStream | null = null;
    private retryMs = RETRY_MIN_MS;
    private retryTimer: unknown = null;
    private timeTimer: unknown = null;
    private inventory: InventoryStatus | null = null;
    private choicesKey = "";
    private readonly opening = new Set<string>();

    constructor(options: FleetPageOptions) {
        this.doc = options.document;
        this.api = options.api;
        this.navigate = options.navigate;
        this.now = options.now ?? Date.now;
        const win = this.doc.defaultView!;
        this.timers = options.timers ?? {
            setInterval: (fn, ms) => win.setInterval(fn, ms),
            clearInterval: id => win.clearInterval(id as number),
            setTimeout: (fn, ms) => win.setTimeout(fn, ms),
            clearTimeout: id => win.clearTimeout(id as number),
        };
        this.locale = options.locale;
        this.rows = new HostRows(this.$("hosts-body") as HTMLTableSectionElement, {
            doc: this.doc,
            hostUrl: name => this.api.hostUrl(name),
            now: this.now,
            locale: this.locale,
        });
    }

    private $<T extends HTMLElement = HTMLElement>(id: string): T {
        const e = this.doc.getElementById(id);
        if (!e)
            throw new Error("fleet page markup lacks #" + id);
        return e as T;
    }

    /** Wires the controls and loads the hosts. */
    start(): Promise<void> {
        this.$<HTMLAnchorElement>("sign-in").href = this.api.url("fleet/sign-in");
        this.$<HTMLFormElement>("sign-out").action = this.api.url("fleet/sign-out");
        this.$("filter-icon").append(icon(this.doc, "search"));
        this.$("filter-clear").append(icon(this.doc, "close"));
        this.$("label-select-icon").append(icon(this.doc, "caretDown"));
        this.$("inventory-alert-icon").append(icon(this.doc, "warning"));
        this.$("load-error-icon").append(icon(this.doc, "danger"));
        this.$("no-match-icon").append(icon(this.doc, "search"));
        this.$("count-up").prepend(icon(this.doc, "success"));
        this.$("count-down").prepend(icon(this.doc, "danger"));
        this.$("count-unknown").prepend(icon(this.doc, "help"));
        for (const c of ["count-up", "count-down", "count-unknown"])
            this.$(c).append(this.doc.createElement("span"));
        this.sortHeaders();
        this.wireFilters();
        this.$("retry").addEventListener("click", () => void this.load());
        this.$("hosts-body").addEventListener("click", ev => this.onRowClick(ev as MouseEvent));
        this.timeTimer = this.timers.setInterval(() => this.refreshTimes(), TIME_REFRESH_MS);
        return this.load();
    }

    private refreshTimes(): void {
        this.rows.refreshTimes();
        if (this.inventory)
            this.showInventory(this.inventory);
    }

    /** Closes the event stream and stops the timers. */
    stop(): void {
        this.stream?.close();
        this.stream = null;
        if (this.timeTimer !== null)
            this.timers.clearInterval(this.timeTimer);
        if (this.retryTimer !== null)
            this.timers.clearTimeout(this.retryTimer);
        this.timeTimer = this.retryTimer = null;
    }

    /** Asks for the host list (and the user); then follows the event stream. */
    async load(): Promise<void> {
        if (this.retryTimer !== null) {
            this.timers.clearTimeout(this.retryTimer);
            this.retryTimer = null;
        }
        if (this.view !== "ready")
            this.show("loading");
        const [result, me] = await Promise.all([this.api.hosts(), this.api.me()]);
        this.showUser(result.kind === "signed-out" ? null : me);
        if (result.kind === "signed-out") {
            this.stream?.close();
            this.stream = null;
            this.setConnection(null);
            this.show("signed-out");
            return;
        }
        if (result.kind === "error") {
            if (this.view === "ready") {
                // a re-check after the stream gave up: the table stays (marked offline) rather than vanish
                this.setConnection("closed");
                this.$("live").title = result.message;
            } else {
                this.$("load-error-message").textContent = result.message;
                this.show("error");
            }
            if (!this.stream)
                this.scheduleRetry();
            return;
        }
        this.setHosts(result.hosts);
        this.show("ready");
        this.connect();
    }

    private connect(): void {
        if (this.stream)
            return;
        this.stream = this.api.events({
            hosts: hosts => {
                this.setHosts(hosts);
                if (this.view === "error" || this.view === "loading")
                    this.show("ready");
            },
            host: host => this.updateHost(host),
            inventory: status => this.showInventory(status),
            connection: state => this.onConnection(state),
        });
    }

    private onConnection(state: Connection): void {
        this.setConnection(state);
        if (state === "live") {
            this.retryMs = RETRY_MIN_MS;
        } else if (state === "closed") {
            // the browser gave up (the gateway answered with an error, e.g. 401 after the sign-in expired):
            // ask the host list what is wrong, later and later
            this.stream?.close();
            this.stream = null;
            this.scheduleRetry();
        }
    }

    private scheduleRetry(): void {
        if (this.retryTimer !== null)
            return;
        const wait = this.retryMs;
        this.retryMs = Math.min(this.retryMs * 2, RETRY_MAX_MS);
        this.retryTimer = this.timers.setTimeout(() => {
            this.retryTimer = null;
            void this.load();
        }, wait);
    }

    private setConnection(state: Connection | null): void {
        const live = this.$("live");
        live.hidden = state === null;
        live.dataset.state = state ?? "offline";
        const text = { live: _("Live"), reconnecting: _("Reconnecting…"), closed: _("Offline") };
        this.$("live-text").textContent = state === null ? "" : text[state];
        live.title = state === "live" ? _("The list updates by itself") : "";
    }

    private show(view: View): void {
        this.view = view;
        this.$("loading").hidden = view !== "loading";
        this.$("signed-out").hidden = view !== "signed-out";
        this.$("load-error").hidden = view !== "error";
        this.$("no-hosts").hidden = !(view === "ready" && this.hosts.size === 0);
        this.$("hosts-view").hidden = !(view === "ready" && this.hosts.size > 0);
    }

    private showUser(me: Me | null): void {
        this.$("user").hidden = me === null;
        this.$("sign-out").hidden = me === null;
        if (me) {
            this.$("user-name").textContent = me.user;
            this.$("user-groups").textContent = me.groups.join(", ");
            this.$("user").title = me.groups.length ? format(_("Groups: $0"), me.groups.join(", ")) : "";
        }
    }

    private showInventory(status: InventoryStatus): void {
        this.inventory = status;
        const alert = this.$("inventory-alert");
        alert.hidden = status.error === null;
        this.$("inventory-alert-message").textContent = status.error ?? "";
        const when = status.checked_at ? relativeTime(status.checked_at, this.now(), this.locale) : null;
        this.$("inventory-alert-time").textContent = when ? format(_("Checked $0"), when) : "";
    }

    private setHosts(hosts: Host[]): void {
        this.hosts = new Map(hosts.map(h => [h.name, h]));
        this.rows.retain(new Set(this.hosts.keys()));
        // a filter label no host carries any more would hide everything without a visible reason
        const choices = labelChoices(this.hosts.values());
        this.filter = { ...this.filter, labels: this.filter.labels.filter(l => choices.some(c => sameLabel(c, l))) };
        if (this.view === "ready")
            this.show("ready");
        this.render();
    }

    private updateHost(host: Host): void {
        const old = this.hosts.get(host.name);
        // the full list is authoritative: a host it does not have is not one this user may reach
        if (!old)
            return;
        this.hosts.set(host.name, host);
        const keep = matcher(this.filter);
        const order = comparator(this.sort);
        const labelsSame = JSON.stringify(old.labels) === JSON.stringify(host.labels);
        if (labelsSame && keep(old) === keep(host) && order(old, host) === 0 && order(host, old) === 0) {
            // same place in the table: patch the row, leave the rest alone
            if (keep(host))
                this.rows.render(this.currentOrder(old, host));
            this.renderSummary(keep);
        } else {
            this.render();
        }
    }

    /** The rows as they stand, with `old` swapped for `host` (no filtering or sorting needed). */
    private currentOrder(old: Host, host: Host): Host[] {
        const i = this.order.indexOf(old);
        if (i >= 0)
            this.order[i] = host;
        return this.order;
    }

    private render(): void {
        this.order = visibleHosts(this.hosts.values(), this.filter, this.sort);
        this.rows.render(this.order);
        this.renderLabels();
        this.renderSummary(matcher(this.filter));
    }

    private renderSummary(keep: (h: Host) => boolean): void {
        const counts = stateCounts(this.hosts.values());
        const text = {
            up: format(_("$0 up"), counts.up),
            down: format(_("$0 down"), counts.down),
            unknown: format(_("$0 unknown"), counts.unknown),
        };
        for (const state of ["up", "down", "unknown"] as const) {
            const el = this.$("count-" + state);
            el.lastElementChild!.textContent = text[state];
            el.classList.toggle("fleet-zero", counts[state] === 0);
        }
        const filtering = isFiltering(this.filter);
        let shown = 0;
        if (filtering) {
            for (const h of this.hosts.values())
                shown += keep(h) ? 1 : 0;
        }
        const shownEl = this.$("shown");
        shownEl.hidden = !filtering;
        shownEl.textContent = filtering ? format(_("showing $0 of $1"), shown, this.hosts.size) : "";
        this.$("no-match").hidden = !(filtering && shown === 0 && this.hosts.size > 0);
        this.$("hosts").hidden = filtering && shown === 0;
    }

    private renderLabels(): void {
        const choices = labelChoices(this.hosts.values());
        const select = this.$<HTMLSelectElement>("label-select");
        const free = choices.filter(c => !this.filter.labels.some(l => sameLabel(l, c)));
        const key = JSON.stringify(free);
        if (key !== this.choicesKey) {
            this.choicesKey = key;
            const first = select.options[0];
            select.replaceChildren(first);
            for (const c of free) {
                const option = this.doc.createElement("option");
                option.value = JSON.stringify([c.key, c.value]);
                option.textContent = labelText(c);
                select.append(option);
            }
            select.value = "";
            select.disabled = free.length === 0;
        }
        const list = this.$("active-labels-list");
        list.replaceChildren();
        for (const l of this.filter.labels)
            list.append(this.activeLabel(l));
        this.$("active-labels").hidden = this.filter.labels.length === 0;
    }

    private activeLabel(l: Label): HTMLElement {
        const item = this.doc.createElement("li");
        item.className = "pf-v6-c-label-group__list-item";
        const label = this.doc.createElement("span");
        label.className = "pf-v6-c-label pf-m-outline";
        const content = this.doc.createElement("span");
        content.className = "pf-v6-c-label__content";
        const text = this.doc.createElement("span");
        text.className = "pf-v6-c-label__text";
        text.textContent = labelText(l);
        content.append(text);
        const actions = this.doc.createElement("span");
        actions.className = "pf-v6-c-label__actions";
        const remove = this.doc.createElement("button");
        remove.type = "button";
        remove.className = "pf-v6-c-button pf-m-plain pf-m-no-padding";
        remove.setAttribute("aria-label", format(_("Remove filter $0"), labelText(l)));
        const iconSpan = this.doc.createElement("span");
        iconSpan.className = "pf-v6-c-button__icon";
        iconSpan.append(icon(this.doc, "close"));
        remove.append(iconSpan);
        remove.addEventListener("click", () => {
            this.setFilter({ ...this.filter, labels: this.filter.labels.filter(x => !sameLabel(x, l)) });
            this.$("label-select").focus();
        });
        actions.append(remove);
        label.append(content, actions);
        item.append(label);
        return item;
    }

    private setFilter(filter: Filter): void {
        this.filter = filter;
        this.$("filter-clear-group").hidden = filter.text === "";
        this.render();
    }

    private wireFilters(): void {
        const input = this.$<HTMLInputElement>("filter");
        input.addEventListener("input", () => this.setFilter({ ...this.filter, text: input.value }));
        input.addEventListener("keydown", ev => {
            if (ev.key === "Escape" && input.value !== "") {
                input.value = "";
                this.setFilter({ ...this.filter, text: "" });
                ev.preventDefault();
            }
        });
        this.$("filter-clear").addEventListener("click", () => {
            input.value = "";
            this.setFilter({ ...this.filter, text: "" });
            input.focus();
        });
        const select = this.$<HTMLSelectElement>("label-select");
        select.addEventListener("change", () => {
            if (!select.value)
                return;
            const [key, value] = JSON.parse(select.value) as [string, string];
            select.value = "";
            this.setFilter({ ...this.filter, labels: [...this.filter.labels, { key, value }] });
        });
        const clear = () => {
            input.value = "";
            this.setFilter({ text: "", labels: [] });
            input.focus();
        };
        this.$("clear-filters").addEventListener("click", clear);
        this.$("no-match-clear").addEventListener("click", clear);
        // "/" jumps to the filter, as in many list views; not while typing somewhere
        this.doc.addEventListener("keydown", ev => {
            const t = ev.target as HTMLElement | null;
            if (ev.key !== "/" || ev.ctrlKey || ev.metaKey || ev.altKey || this.view !== "ready")
                return;
            if (t && (t.closest("input, select, textarea, [contenteditable]")))
                return;
            ev.preventDefault();
            input.focus();
        });
    }

    private sortHeaders(): void {
        this.doc.querySelectorAll<HTMLTableCellElement>("#hosts th[data-sort]").forEach(th => {
            const key = th.dataset.sort as SortKey;
            if (!SORT_KEYS.includes(key))
                return;
            const button = this.doc.createElement("button");
            button.type = "button";
            button.className = "pf-v6-c-table__button";
            const content = this.doc.createElement("span");
            content.className = "pf-v6-c-table__button-content";
            const text = this.doc.createElement("span");
            text.className = "pf-v6-c-table__text";
            text.textContent = th.textContent?.trim() ?? "";
            const indicator = this.doc.createElement("span");
            indicator.className = "pf-v6-c-table__sort-indicator";
            content.append(text, indicator);
            button.append(content);
            th.replaceChildren(button);
            button.addEventListener("click", () => {
                this.sort = this.sort.key === key ? { key, ascending: !this.sort.ascending } : { key, ascending: true };
                this.updateSortHeaders();
                this.render();
            });
        });
        this.updateSortHeaders();
    }

    private updateSortHeaders(): void {
        this.doc.querySelectorAll<HTMLTableCellElement>("#hosts th[data-sort]").forEach(th => {
            const selected = th.dataset.sort === this.sort.key;
            th.classList.toggle("pf-m-selected", selected);
            th.setAttribute("aria-sort", selected ? (this.sort.ascending ? "ascending" : "descending") : "none");
            const indicator = th.querySelector(".pf-v6-c-table__sort-indicator");
            indicator?.replaceChildren(icon(this.doc, selected ? "sortAsc" : "sortNone",
                selected && !this.sort.ascending ? "fleet-sort-descending" : ""));
        });
    }

    private onRowClick(ev: MouseEvent): void {
        const target = ev.target as Element | null;
        const tr = target?.closest("tr");
        if (!target || !tr)
            return;
        const host = this.rows.hostOf(tr);
        if (!host)
            return;
        // a new tab or window, a context menu: the browser's business
        if (ev.button !== 0 || ev.ctrlKey || ev.metaKey || ev.shiftKey || ev.altKey)
            return;
        const onLink = target.closest("a.fleet-host-link") !== null;
        if (!onLink) {
            if (target.closest("a, button, details, input, select, label"))
                return;
            // selecting text (an address to copy) is not a click on the row
            const selection = this.doc.getSelection?.();
            if (selection && !selection.isCollapsed && selection.toString() !== "")
                return;
        }
        ev.preventDefault();
        void this.open(host.name);
    }

    /** Logs in to host `name` by the user's identity, then opens its Cockpit; failures show on its row. */
    async open(name: string): Promise<void> {
        if (this.opening.has(name))
            return;
        this.opening.add(name);
        this.rows.setNote(name, { kind: "busy" });
        try {
            const result = await this.api.login(name);
            if (result.ok) {
                this.navigate(this.api.hostUrl(name));
                return;
            }
            this.rows.setNote(name, { kind: "error", message: format(_("Cannot open $0: $1"), name, result.message) });
        } finally {
            this.opening.delete(name);
        }
    }
}
