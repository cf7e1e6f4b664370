/**
 * The table body: one row per visible host, keyed by name. Rows are built once and then patched cell by cell, so
 * a `host` event touches only the cells whose content changed, and a re-sort only moves rows. Host data goes into
 * text nodes and attributes only.
 */
import { _, format } from "../i18n";
import { loadText, relativeTime, uptimeText } from "./format";
import type { Host, HostState } from "./host";
import { icon } from "./icons";
import { labelText } from "./view";

export interface RowContext {
    doc: Document;
    hostUrl(name: string): string;
    now(): number;
    locale?: string;
}

/** What the page shows under a host's name while opening it, or after that failed. */
export type RowNote = { kind: "busy" } | { kind: "error"; message: string };

type Column = "state" | "os" | "uptime" | "load" | "failed" | "labels" | "checked";
const COLUMNS: readonly Column[] = ["state", "os", "uptime", "load", "failed", "labels", "checked"];

interface Row {
    host: Host;
    tr: HTMLTableRowElement;
    address: HTMLElement;
    note: HTMLElement;
    cells: Record<Column, HTMLTableCellElement>;
    /** What each cell shows, to skip cells that did not change. */
    keys: Partial<Record<Column, string>>;
}

const STATE_TEXT: Record<HostState, string> = { up: "Up", down: "Down", unknown: "Unknown" };
const STATE_ICON = { up: "success", down: "danger", unknown: "help" } as const;

export class HostRows {
    private readonly rows = new Map<string, Row>();
    private readonly tbody: HTMLTableSectionElement;
    private readonly ctx: RowContext;

    constructor(tbody: HTMLTableSectionElement, ctx: RowContext) {
        this.tbody = tbody;
        this.ctx = ctx;
    }

    /**
     * Shows `hosts` in this order. Rows of hosts not in the list leave the table but are kept (a filter that is
     * cleared again brings them back without building them anew); `retain` forgets hosts that are gone.
     */
    render(hosts: readonly Host[]): void {
        // moving a row out of the document takes the focus with it: put it back afterwards
        const active = this.ctx.doc.activeElement;
        const focused = active && this.tbody.contains(active) ? active as HTMLElement : null;
        const children = this.tbody.children;
        hosts.forEach((host, i) => {
            let row = this.rows.get(host.name);
            if (!row) {
                row = this.create(host);
                this.rows.set(host.name, row);
            } else if (row.host !== host) {
                row.host = host;
                this.patch(row);
            }
            if (children[i] !== row.tr)
                this.tbody.insertBefore(row.tr, children[i] ?? null);
        });
        while (children.length > hosts.length)
            children[children.length - 1].remove();
        if (focused && focused.isConnected && this.ctx.doc.activeElement !== focused)
            focused.focus();
    }

    /** Forgets the rows of hosts not in `names` (they left the inventory or the user's rules). */
    retain(names: ReadonlySet<string>): void {
        for (const [name, row] of this.rows) {
            if (!names.has(name)) {
                row.tr.remove();
                this.rows.delete(name);
            }
        }
    }

    /** The host a row shows. */
    hostOf(tr: Element): Host | undefined {
        const name = (tr as HTMLElement).dataset.host;
        return name === undefined ? undefined : this.rows.get(name)?.host;
    }

    /** Re-reads "last checked" against the clock; nothing else changes. */
    refreshTimes(): void {
        for (const row of this.rows.values())
            this.fillChecked(row.cells.checked, row.host);
    }

    /** Shows (or with null clears) the note under a host's name. */
    setNote(name: string, note: RowNote | null): void {
        const row = this.rows.get(name);
        if (row)
            this.fillNote(row.note, note);
    }

    private el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
        const e = this.ctx.doc.createElement(tag);
        if (className)
            e.className = className;
        if (text !== undefined)
            e.textContent = text;
        return e;
    }

    private td(label: string): HTMLTableCellElement {
        const td = this.el("td", "pf-v6-c-table__td");
        // the stacked (narrow screen) layout shows it before each value
        td.setAttribute("data-label", label);
        return td;
    }

    private create(host: Host): Row {
        const tr = this.el("tr", "pf-v6-c-table__tr pf-m-clickable");
        tr.dataset.host = host.name;
        const nameCell = this.el("th", "pf-v6-c-table__td fleet-name") as HTMLTableCellElement;
        nameCell.scope = "row";
        nameCell.setAttribute("data-label", _("Name"));
        const link = this.el("a", "fleet-host-link", host.name);
        link.href = this.ctx.hostUrl(host.name);
        const address = this.el("div", "fleet-address");
        const note = this.el("div", "fleet-note");
        note.hidden = true;
        nameCell.append(link, address, note);
        tr.append(nameCell);
        const cells = {
            state: this.td(_("State")),
            os: this.td(_("Operating system")),
            uptime: this.td(_("Uptime")),
            load: this.td(_("Load")),
            failed: this.td(_("Failed units")),
            labels: this.td(_("Labels")),
            checked: this.td(_("Last checked")),
        };
        for (const c of COLUMNS)
            tr.append(cells[c]);
        const row: Row = { host, tr, address, note, cells, keys: {} };
        this.patch(row);
        return row;
    }

    private patch(row: Row): void {
        const h = row.host;
        if (row.address.textContent !== h.address)
            row.address.textContent = h.address;
        const keys: Record<Column, string> = {
            state: JSON.stringify([h.state, h.reason]),
            os: h.os ?? "",
            uptime: String(h.uptime_s),
            load: JSON.stringify(h.load),
            failed: JSON.stringify(h.failed_units),
            labels: JSON.stringify(h.labels),
            checked: String(h.checked_at),
        };
        for (const c of COLUMNS) {
            if (row.keys[c] === keys[c])
                continue;
            row.keys[c] = keys[c];
            this.fill(c, row.cells[c], h);
        }
    }

    private unknown(text: string): HTMLElement {
        const span = this.el("span", "fleet-muted");
        span.append(this.el("span", undefined, "—"), this.el("span", "pf-v6-screen-reader", text));
        span.firstElementChild!.setAttribute("aria-hidden", "true");
        return span;
    }

    private fill(column: Column, td: HTMLTableCellElement, h: Host): void {
        const doc = this.ctx.doc;
        switch (column) {
        case "state": {
            const state = this.el("span", "fleet-state fleet-" + h.state);
            state.append(icon(doc, STATE_ICON[h.state]), this.el("span", undefined, _(STATE_TEXT[h.state])));
            td.replaceChildren(state);
            if (h.reason && h.state !== "up")
                td.append(this.el("div", "fleet-reason", h.reason));
            break;
        }
        case "os":
            td.replaceChildren(h.os ? doc.createTextNode(h.os) : this.unknown(_("not known")));
            break;
        case "uptime":
            td.replaceChildren(h.uptime_s === null ? this.unknown(_("not known"))
                : doc.createTextNode(uptimeText(h.uptime_s, this.ctx.locale)));
            break;
        case "load":
            if (h.load) {
                const value = this.el("span", "fleet-number", loadText(h.load[0], this.ctx.locale));
                value.title = format(_("1, 5, 15 minutes: $0, $1, $2"), ...h.load.map(l => loadText(l, this.ctx.locale)));
                td.replaceChildren(value);
            } else {
                td.replaceChildren(this.unknown(_("not known")));
            }
            break;
        case "failed":
            td.replaceChildren(this.failedUnits(h.failed_units));
            break;
        case "labels":
            td.replaceChildren();
            if (Object.keys(h.labels).length > 0)
                td.append(this.labels(h));
            break;
        case "checked":
            this.fillChecked(td, h);
            break;
        }
    }

    private failedUnits(units: readonly string[] | null): Node {
        if (units === null)
            return this.unknown(_("not known"));
        if (units.length === 0)
            return this.el("span", "fleet-none fleet-number", "0");
        const details = this.el("details", "fleet-failed");
        const summary = this.el("summary");
        summary.title = units.join("\n");
        summary.append(icon(this.ctx.doc, "warning", "fleet-warning-icon"), this.el("span", "fleet-number", String(units.length)),
            this.el("span", "pf-v6-screen-reader", units.length === 1 ? _("failed unit") : _("failed units")));
        const list = this.el("ul", "fleet-unit-list");
        for (const u of units)
            list.append(this.el("li", undefined, u));
        details.append(summary, list);
        return details;
    }

    private labels(h: Host): HTMLElement {
        const group = this.el("div", "pf-v6-c-label-group");
        const main = this.el("div", "pf-v6-c-label-group__main");
        const list = this.el("ul", "pf-v6-c-label-group__list");
        list.setAttribute("role", "list");
        for (const [key, value] of Object.entries(h.labels)) {
            const item = this.el("li", "pf-v6-c-label-group__list-item");
            const label = this.el("span", "pf-v6-c-label pf-m-compact");
            const content = this.el("span", "pf-v6-c-label__content");
            content.append(this.el("span", "pf-v6-c-label__text", labelText({ key, value })));
            label.append(content);
            item.append(label);
            list.append(item);
        }
        main.append(list);
        group.append(main);
        return group;
    }

    private fillChecked(td: HTMLTableCellElement, h: Host): void {
        const text = h.checked_at === null ? null : relativeTime(h.checked_at, this.ctx.now(), this.ctx.locale);
        if (h.checked_at === null || text === null) {
            td.replaceChildren(this.unknown(_("never")));
            return;
        }
        let t = td.firstElementChild as HTMLTimeElement | null;
        if (t?.tagName !== "TIME") {
            t = this.el("time");
            td.replaceChildren(t);
        }
        if (t.dateTime !== h.checked_at) {
            t.dateTime = h.checked_at;
            t.title = new Date(h.checked_at).toLocaleString(this.ctx.locale);
        }
        if (t.textContent !== text)
            t.textContent = text;
    }

    private fillNote(note: HTMLElement, value: RowNote | null): void {
        note.replaceChildren();
        note.hidden = value === null;
        note.className = "fleet-note";
        note.removeAttribute("role");
        if (value?.kind === "busy") {
            note.classList.add("fleet-busy");
            note.setAttribute("role", "status");
            const spinner = this.ctx.doc.createElementNS("http://www.w3.org/2000/svg", "svg");
            spinner.setAttribute("class", "pf-v6-c-spinner pf-m-sm");
            spinner.setAttribute("viewBox", "0 0 100 100");
            spinner.setAttribute("aria-hidden", "true");
            const circle = this.ctx.doc.createElementNS("http://www.w3.org/2000/svg", "circle");
            circle.setAttribute("class", "pf-v6-c-spinner__path");
            circle.setAttribute("cx", "50");
            circle.setAttribute("cy", "50");
            circle.setAttribute("r", "45");
            circle.setAttribute("fill", "none");
            spinner.append(circle);
            note.append(spinner, this.el("span", undefined, _("Connecting…")));
        } else if (value?.kind === "error") {
            note.classList.add("fleet-error");
            note.setAttribute("role", "alert");
            note.append(icon(this.ctx.doc, "danger"), this.el("span", undefined, value.message));
        }
    }
}
