/**
 * Translation for the login page. The gateway injects Cockpit's own `po.<lang>.js` of the static package, which
 * defines `window.cockpit_po`; its entries are `"msgid": [context-or-null, translation, plural...]` and the
 * empty key holds the language metadata. Using Cockpit's message ids verbatim lets those translations apply.
 */

export interface PoMetadata {
    language?: string;
    "language-direction"?: string;
}

export type PoCatalog = Record<string, unknown> & { ""?: PoMetadata };

declare global {
    interface Window {
        cockpit_po?: PoCatalog;
    }
}

function catalog(): PoCatalog | undefined {
    return typeof window === "undefined" ? undefined : window.cockpit_po;
}

/** Translates `msgid` through the injected catalog; the id itself when there is no translation. */
export function gettext(msgid: string, po: PoCatalog | undefined = catalog()): string {
    const entry = po?.[msgid];
    if (Array.isArray(entry) && typeof entry[1] === "string" && entry[1] !== "")
        return entry[1];
    return msgid;
}

/** Shorthand used at every call site so that all user-visible text goes through one function. */
export const _ = (msgid: string): string => gettext(msgid);

/** Fills Cockpit-style placeholders `$0`, `$1` or `${0}` with the arguments; missing ones become "". */
export function format(template: string, ...args: (string | number | null | undefined)[]): string {
    return template.replace(/\$\{([^}]+)\}|\$([0-9]+)/g, (_m, braced: string | undefined, plain: string | undefined) => {
        const value = args[Number(braced ?? plain)];
        return value === undefined || value === null ? "" : String(value);
    });
}

/** Translates the static text of every element marked `translate="yes"` and applies the language metadata. */
export function translateDocument(doc: Document, po: PoCatalog | undefined = catalog()): void {
    doc.querySelectorAll<HTMLElement>("[translate=yes]").forEach(el => {
        const text = el.textContent?.trim();
        if (text)
            el.textContent = gettext(text, po);
    });
    doc.querySelectorAll<HTMLElement>("[data-translate-title]").forEach(el => {
        const title = el.getAttribute("title");
        if (title)
            el.setAttribute("title", gettext(title, po));
    });
    doc.querySelectorAll<HTMLElement>("[data-translate-label]").forEach(el => {
        const label = el.getAttribute("aria-label");
        if (label)
            el.setAttribute("aria-label", gettext(label, po));
    });
    const meta = po?.[""];
    if (meta?.language)
        doc.documentElement.lang = meta.language;
    if (meta?.["language-direction"])
        doc.documentElement.dir = meta["language-direction"];
}
