/**
 * What the page shows for a failed login request (docs/protocol.md §5.8, §10). The gateway puts the problem into the
 * HTTP reason phrase, percent-encoded; like Cockpit's page we match on substrings of it.
 */
import { _, format } from "./i18n";

/** How a failure is presented. */
export type FailureView =
    /** Error above the login form; `message` may be empty. */
    | { kind: "form"; title: string; message: string }
    /** Error about the "Connect to" host: the form opens the host field. */
    | { kind: "host"; title: string; message: string }
    /** The key changed: retry once without sending known_hosts so the user gets the "key changed" dialog. */
    | { kind: "retry-changed-key" }
    /** Nothing to retry on the form: a full-page message with details and "Try again". */
    | { kind: "fatal"; message: string; detail: string };

/** The response and context of one failed login request. */
export interface FailedRequest {
    /** HTTP status; 0 when the request did not reach the gateway. */
    status: number;
    /** Reason phrase as received (percent-encoded). */
    statusText: string;
    /** The request answered a challenge (then "wrong password" is not implied). */
    conversation: boolean;
    user: string;
    /** Value of "Connect to" ("" for the default host). */
    machine: string;
    /** A changed-key retry already happened in this attempt. */
    changedKeyRetried: boolean;
}

/** Percent-decodes a reason phrase; a malformed one is shown as received. */
export function decodeReason(statusText: string): string {
    try {
        return decodeURIComponent(statusText);
    } catch {
        return statusText;
    }
}

/** Problem codes that have their own text when they end a login with a 500 (docs/protocol.md §10). */
function problemText(reason: string): string | null {
    const table: [string, () => string][] = [
        ["not-supported", () => _("Cockpit is not compatible with the software on the system.")],
        ["protocol-error", () => _("Protocol error")],
        ["internal-error", () => _("Internal error")],
        ["Timeout", () => _("Connection has timed out.")],
        ["timeout", () => _("Connection has timed out.")],
        ["too-large", () => _("Too much data")],
        ["no-forwarding", () => _("Cannot forward login credentials")],
        ["Connection closed by host", () => _("Server closed connection")],
        ["disconnected", () => _("Server has closed the connection.")],
    ];
    for (const [needle, text] of table) {
        if (reason.includes(needle))
            return text();
    }
    return null;
}

/** Decides how to present a failed login request. */
export function classifyFailure(req: FailedRequest): FailureView {
    const raw = req.statusText;
    const reason = decodeReason(raw).trim();
    const host = req.machine || "localhost";

    if (req.status === 0) {
        return {
            kind: "fatal",
            message: _("Cannot connect to the web console server."),
            detail: _("Check your network connection and that the server is running, then try again."),
        };
    }

    if (req.status === 401) {
        // order matters: "unknown-hostkey" contains "unknown-host"
        if (raw.includes("authentication-not-supported")) {
            return {
                kind: "fatal",
                message: format(_("The server refused to authenticate '$0' using password authentication, and no other supported authentication methods are available."), req.user),
                detail: "",
            };
        }
        if (raw.includes("terminated"))
            return { kind: "form", title: _("Authentication failed"), message: _("Server closed connection") };
        if (raw.includes("no-host"))
            return { kind: "host", title: _("Unable to connect to that address"), message: "" };
        if (raw.includes("unknown-hostkey"))
            return { kind: "host", title: _("Refusing to connect"), message: _("Hostkey is unknown") };
        if (raw.includes("unknown-host"))
            return { kind: "host", title: _("Refusing to connect"), message: _("Host is unknown") };
        if (raw.includes("invalid-hostkey")) {
            if (!req.changedKeyRetried && req.machine !== "")
                return { kind: "retry-changed-key" };
            return { kind: "host", title: _("Refusing to connect"), message: _("Hostkey does not match") };
        }
        if (reason === "Invalid conversation token")
            return { kind: "form", title: _("Authentication failed"), message: _("The login took too long. Please log in again.") };
        if (reason === "Direct remote login is disabled")
            return { kind: "host", title: _("Authentication failed"), message: _("Logging in to other hosts is disabled on this server.") };
        if (reason === "Authentication disabled")
            return { kind: "form", title: _("Authentication failed"), message: _("Password login is disabled on this server.") };
        if (req.conversation)
            return { kind: "form", title: _("Authentication failed"), message: "" };
        return { kind: "form", title: _("Authentication failed"), message: _("Wrong user name or password") };
    }

    if (req.status === 403) {
        if (reason === "Host required")
            return { kind: "host", title: _("Permission denied"), message: _("Please specify the host to connect to") };
        return { kind: "form", title: _("Permission denied"), message: reason === "Permission denied" ? "" : reason };
    }

    if (req.status === 500 && raw.includes("no-cockpit")) {
        return {
            kind: "form",
            title: _("Packageless session unavailable"),
            message: format(_("Install the cockpit-system package (and optionally other cockpit packages) on $0 to enable web console access."), host),
        };
    }
    if (req.status === 500 && raw.includes("unsupported-shell"))
        return { kind: "form", title: _("Authentication failed"), message: _("Unsupported shell. Check the journal for details.") };

    const known = problemText(reason);
    if (known)
        return { kind: "fatal", message: known, detail: reason };
    if (reason)
        return { kind: "fatal", message: reason, detail: "" };
    return { kind: "fatal", message: format(_("$0 error"), req.status), detail: "" };
}
