/** Human-readable values for the host table; the locale comes from the page (`<html lang>`). */
import { _ } from "../i18n";

const MINUTE = 60;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

function units(locale: string | undefined, unit: string, value: number): string {
    return new Intl.NumberFormat(locale, { style: "unit", unit, unitDisplay: "long" }).format(value);
}

/** Uptime in its largest whole unit: "3 days", "5 hours", "1 minute". */
export function uptimeText(seconds: number, locale?: string): string {
    if (seconds >= DAY)
        return units(locale, "day", Math.floor(seconds / DAY));
    if (seconds >= HOUR)
        return units(locale, "hour", Math.floor(seconds / HOUR));
    if (seconds >= MINUTE)
        return units(locale, "minute", Math.floor(seconds / MINUTE));
    return _("less than a minute");
}

/** How long ago `iso` was, seen at `now` (ms): "now", "25 seconds ago", "3 minutes ago"; null for a bad date. */
export function relativeTime(iso: string, now: number, locale?: string): string | null {
    const then = Date.parse(iso);
    if (Number.isNaN(then))
        return null;
    const rtf = new Intl.RelativeTimeFormat(locale, { numeric: "auto" });
    const ago = Math.round((now - then) / 1000);
    // a few seconds of clock skew between gateway and browser must not read as "in 3 seconds"
    if (Math.abs(ago) < 10)
        return rtf.format(0, "second");
    const sign = ago > 0 ? -1 : 1;
    const abs = Math.abs(ago);
    if (abs < MINUTE)
        return rtf.format(sign * abs, "second");
    if (abs < HOUR)
        return rtf.format(sign * Math.floor(abs / MINUTE), "minute");
    if (abs < DAY)
        return rtf.format(sign * Math.floor(abs / HOUR), "hour");
    return rtf.format(sign * Math.floor(abs / DAY), "day");
}

/** A load average with two decimals, as `uptime` prints it. */
export function loadText(value: number, locale?: string): string {
    return new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(value);
}
