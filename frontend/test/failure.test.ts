import { afterEach, describe, expect, it } from "vitest";
import { classifyFailure, decodeReason, type FailedRequest } from "../src/failure";

/** The reason phrase as the gateway sends it: percent-encoded except A-Z a-z 0-9 - . _ ~ space and ':'. */
function encode(reason: string): string {
    return Array.from(new TextEncoder().encode(reason), b => {
        const c = String.fromCharCode(b);
        return /[A-Za-z0-9\-._~ :]/.test(c) ? c : "%" + b.toString(16).toUpperCase().padStart(2, "0");
    }).join("");
}

function failed(status: number, reason: string, extra: Partial<FailedRequest> = {}): FailedRequest {
    return { status, statusText: encode(reason), conversation: false, user: "admin", machine: "db1", changedKeyRetried: false, ...extra };
}

describe("classifyFailure (docs/protocol.md §5.8)", () => {
    it.each([
        [401, "Authentication failed", { kind: "form", title: "Authentication failed", message: "Wrong user name or password" }],
        [401, "Authentication failed: terminated", { kind: "form", title: "Authentication failed", message: "Server closed connection" }],
        [401, "Authentication failed: no-host", { kind: "host", title: "Unable to connect to that address", message: "" }],
        [401, "Authentication failed: unknown-hostkey", { kind: "host", title: "Refusing to connect", message: "Hostkey is unknown" }],
        [401, "Authentication failed: unknown-host", { kind: "host", title: "Refusing to connect", message: "Host is unknown" }],
        [401, "Invalid conversation token", { kind: "form", title: "Authentication failed", message: "The login took too long. Please log in again." }],
        [401, "Direct remote login is disabled", { kind: "host", title: "Authentication failed", message: "Logging in to other hosts is disabled on this server." }],
        [401, "Authentication disabled", { kind: "form", title: "Authentication failed", message: "Password login is disabled on this server." }],
        [403, "Permission denied", { kind: "form", title: "Permission denied", message: "" }],
        [403, "Account locked: ask the administrator", { kind: "form", title: "Permission denied", message: "Account locked: ask the administrator" }],
        [403, "Host required", { kind: "host", title: "Permission denied", message: "Please specify the host to connect to" }],
        [500, "Authentication failed: no-cockpit", {
            kind: "form", title: "Packageless session unavailable",
            message: "Install the cockpit-system package (and optionally other cockpit packages) on db1 to enable web console access.",
        }],
        [500, "Authentication failed: unsupported-shell", { kind: "form", title: "Authentication failed", message: "Unsupported shell. Check the journal for details." }],
        [500, "Authentication failed: Timeout", { kind: "fatal", message: "Connection has timed out.", detail: "Authentication failed: Timeout" }],
        [500, "Authentication failed: not-supported", { kind: "fatal", message: "Cockpit is not compatible with the software on the system.", detail: "Authentication failed: not-supported" }],
        [500, "Authentication failed: internal-error: boom (x)", { kind: "fatal", message: "Internal error", detail: "Authentication failed: internal-error: boom (x)" }],
        [500, "Authentication failed: protocol-error", { kind: "fatal", message: "Protocol error", detail: "Authentication failed: protocol-error" }],
        [500, "Connection closed by host", { kind: "fatal", message: "Server closed connection", detail: "Connection closed by host" }],
        [500, "Something nobody expected", { kind: "fatal", message: "Something nobody expected", detail: "" }],
        [502, "", { kind: "fatal", message: "502 error", detail: "" }],
    ])("%i %s", (status, reason, expected) => {
        expect(classifyFailure(failed(status, reason))).toEqual(expected);
    });

    it("says only 'Authentication failed' after a conversation (the password was not the question)", () => {
        expect(classifyFailure(failed(401, "Authentication failed", { conversation: true })))
                .toEqual({ kind: "form", title: "Authentication failed", message: "" });
    });

    it("refuses password-less servers with the user's name in a full-page message", () => {
        expect(classifyFailure(failed(401, "Authentication failed: authentication-not-supported", { user: "bob" })))
                .toEqual({ kind: "fatal", detail: "", message: "The server refused to authenticate 'bob' using password authentication, and no other supported authentication methods are available." });
    });

    it("retries a changed host key once, then reports the mismatch", () => {
        expect(classifyFailure(failed(401, "Authentication failed: invalid-hostkey"))).toEqual({ kind: "retry-changed-key" });
        expect(classifyFailure(failed(401, "Authentication failed: invalid-hostkey", { changedKeyRetried: true })))
                .toEqual({ kind: "host", title: "Refusing to connect", message: "Hostkey does not match" });
    });

    it("does not retry a changed key of the default host (nothing to leave out)", () => {
        expect(classifyFailure(failed(401, "Authentication failed: invalid-hostkey", { machine: "" })).kind).toBe("host");
    });

    it("names localhost when there is no Connect-to host", () => {
        const view = classifyFailure(failed(500, "Authentication failed: no-cockpit", { machine: "" }));
        expect(view.kind === "form" && view.message).toContain("on localhost to enable");
    });

    it("turns an unreachable gateway into a full-page message", () => {
        const view = classifyFailure(failed(0, ""));
        expect(view.kind).toBe("fatal");
        expect(view.kind === "fatal" && view.message).toBe("Cannot connect to the web console server.");
    });

    it("gives every problem code of docs/protocol.md §10 a non-empty text", () => {
        const problems = ["authentication-failed", "authentication-unavailable", "authentication-not-supported",
            "unknown-hostkey", "invalid-hostkey", "unknown-host", "no-host", "no-cockpit", "not-supported",
            "access-denied", "terminated", "disconnected", "timeout", "no-session", "internal-error",
            "protocol-error", "unsupported-shell", "no-forwarding", "too-large", "not-found"];
        for (const status of [401, 403, 500]) {
            for (const problem of problems) {
                for (const changedKeyRetried of [false, true]) {
                    const view = classifyFailure(failed(status, "Authentication failed: " + problem, { changedKeyRetried }));
                    const text = view.kind === "retry-changed-key" ? "retry"
                        : view.kind === "fatal" ? view.message : view.title + view.message;
                    expect(text.trim(), `${status} ${problem}`).not.toBe("");
                }
            }
        }
    });
});

describe("translations", () => {
    afterEach(() => {
        delete (globalThis as { window?: unknown }).window;
    });

    it("uses Cockpit's catalog where the message id matches", () => {
        (globalThis as { window?: unknown }).window = {
            cockpit_po: {
                "": { language: "de" },
                "Authentication failed": [null, "Authentifizierung fehlgeschlagen"],
                "Wrong user name or password": [null, "Falscher Benutzername oder falsches Passwort"],
            },
        };
        expect(classifyFailure(failed(401, "Authentication failed"))).toEqual({
            kind: "form", title: "Authentifizierung fehlgeschlagen", message: "Falscher Benutzername oder falsches Passwort",
        });
    });
});

describe("decodeReason", () => {
    it("decodes percent-encoded UTF-8 and keeps malformed input", () => {
        expect(decodeReason("Authentication failed: internal-error: caf%C3%A9")).toBe("Authentication failed: internal-error: café");
        expect(decodeReason("100%")).toBe("100%");
    });
});
