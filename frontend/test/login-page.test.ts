// @vitest-environment happy-dom
/**
 * The page's behaviour in a DOM: the real index.html markup driven by the real controller, with the gateway
 * replaced by a scripted transport that records every request.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { translateDocument } from "../src/i18n";
import type { PageEnvironment } from "../src/environment";
import { LoginPage } from "../src/login-page";
import type { LoginResponse } from "../src/transport";
import { MemoryStorage } from "./memory-storage";

const markup = readFileSync(join(__dirname, "..", "index.html"), "utf8");
const body = markup.substring(markup.indexOf("<body>") + 6, markup.indexOf("</body>"));

const b64 = (s: string) => Buffer.from(s, "utf8").toString("base64");
const unb64 = (s: string) => Buffer.from(s, "base64").toString("utf8");

interface Sent { path: string; headers: Record<string, string> }

function ok(json: unknown): LoginResponse {
    return { status: 200, statusText: "OK", challenge: null, body: JSON.stringify(json) };
}
function fail(status: number, statusText: string, json: unknown = null): LoginResponse {
    return { status, statusText, challenge: null, body: json ? JSON.stringify(json) : "<html></html>" };
}
function ask(id: string, prompt: string, fields: Record<string, unknown>): LoginResponse {
    return { status: 401, statusText: "Authentication failed", challenge: `X-Conversation ${id} ${b64(prompt)}`, body: JSON.stringify(fields) };
}

class Harness {
    readonly sent: Sent[] = [];
    readonly replies: LoginResponse[] = [];
    readonly local = new MemoryStorage();
    readonly session = new MemoryStorage();
    navigatedTo: string | null | undefined = undefined;

    start(environment: PageEnvironment = { page: { connect: true }, hostname: "gw" }, pathname = "/"): this {
        new LoginPage({
            document,
            environment,
            pathname,
            local: this.local,
            session: this.session,
            transport: async (path, headers) => {
                this.sent.push({ path, headers });
                const reply = this.replies.shift();
                if (!reply)
                    throw new Error("unexpected request to " + path);
                return reply;
            },
            navigation: {
                assign: url => { this.navigatedTo = url },
                reload: () => { this.navigatedTo = null },
            },
        }).start();
        return this;
    }

    reply(...responses: LoginResponse[]): this {
        this.replies.push(...responses);
        return this;
    }

    last(): Sent {
        return this.sent[this.sent.length - 1];
    }
}

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
const visible = (id: string) => {
    for (let e: HTMLElement | null = $(id); e; e = e.parentElement) {
        if (e.hidden)
            return false;
    }
    return true;
};
const settle = () => new Promise(resolve => setTimeout(resolve, 0));

async function fillAndSubmit(user: string, password: string, server?: string) {
    $<HTMLInputElement>("login-user-input").value = user;
    $<HTMLInputElement>("login-password-input").value = password;
    if (server !== undefined) {
        if (!visible("server-group"))
            $("show-other-login-options").click();
        $<HTMLInputElement>("server-field").value = server;
    }
    $("login-button").click();
    await settle();
}

function basicParts(header: string) {
    expect(header.startsWith("Basic ")).toBe(true);
    const raw = unb64(header.substring(6));
    const nul = raw.indexOf("\0");
    expect(nul, "the \\0 part is always present").toBeGreaterThan(0);
    return { credentials: raw.substring(0, nul), knownHosts: raw.substring(nul + 1) };
}

beforeEach(() => {
    document.body.innerHTML = body;
    document.title = "";
    delete (window as { cockpit_po?: unknown }).cockpit_po;
});

describe("first visit", () => {
    it("asks the gateway for an existing session, then shows the form with the user field focused", async () => {
        const h = new Harness().reply(fail(401, "Authentication required")).start();
        await settle();
        expect(h.sent).toEqual([{ path: "/cockpit/login", headers: {} }]);
        expect(visible("login")).toBe(true);
        expect(visible("error-group")).toBe(false);
        expect(visible("option-group")).toBe(true);
        expect(visible("server-group")).toBe(false);
        expect(document.activeElement?.id).toBe("login-user-input");
        expect(document.title).toBe("gw");
    });

    it("continues an existing session without the form", async () => {
        const h = new Harness().reply(ok({ "csrf-token": "t" })).start();
        await settle();
        expect(h.navigatedTo).toBeNull();
    });

    it("goes back to the machine this browser is logged into unless multi-host is allowed", async () => {
        const h = new Harness().start({ page: {}, logged_into: ["db1"] }, "/=db2");
        expect(h.navigatedTo).toBe("/=db1");
        expect(h.sent).toEqual([]);
    });

    it("after an explicit logout shows the form and the reason without asking the gateway", async () => {
        const h = new Harness();
        h.session.setItem("logout-intent", "explicit");
        h.session.setItem("logout-reason", "Your session has expired.");
        h.start();
        expect(h.sent).toEqual([]);
        expect($("login-info-message").textContent).toBe("Your session has expired.");
        expect(h.session.getItem("logout-intent")).toBeNull();
    });
});

describe("password login", () => {
    it("sends Basic credentials with the empty known_hosts part and the superuser choice, then reloads", async () => {
        const h = new Harness().reply(fail(401, "Authentication required")).start();
        await settle();
        h.local.setItem("superuser:admin", "any");
        h.reply(ok({ "csrf-token": "t", "login-data": { "known-hosts": "" } }));
        await fillAndSubmit("admin", "pässword");
        const req = h.last();
        expect(req.path).toBe("/cockpit/login");
        expect(basicParts(req.headers.Authorization)).toEqual({ credentials: "admin:pässword", knownHosts: "" });
        expect(req.headers["X-Superuser"]).toBe("any");
        expect(req.headers["X-SSH-Connect-Unknown-Hosts"]).toBeUndefined();
        expect(h.local.getItem("superuser-key")).toBe("superuser:admin");
        expect(h.local.getItem("login-data")).toBe("{\"known-hosts\":\"\"}");
        expect(h.local.getItem("cockpitlogin-data")).toBe("{\"known-hosts\":\"\"}");
        expect(h.navigatedTo).toBeNull();
    });

    it("shows a wrong password on the form and selects the password for retyping", async () => {
        const h = new Harness().reply(fail(401, "Authentication required")).start();
        await settle();
        h.reply(fail(401, "Authentication failed"));
        await fillAndSubmit("admin", "wrong");
        expect($("login-error-title").textContent).toBe("Authentication failed");
        expect($("login-error-message").textContent).toBe("Wrong user name or password");
        expect(visible("login-error-message")).toBe(true);
        expect(visible("login-user-input")).toBe(true);
        expect(document.activeElement?.id).toBe("login-password-input");
        expect($("login-button").hasAttribute("disabled")).toBe(false);
    });

    it("refuses an empty user name without a request", async () => {
        const h = new Harness().reply(fail(401, "x")).start();
        await settle();
        await fillAndSubmit("  ", "pw");
        expect(h.sent).toHaveLength(1);
        expect($("login-error-title").textContent).toBe("User name cannot be empty");
    });

    it("disables the button and reports progress while waiting", async () => {
        let release!: (r: LoginResponse) => void;
        const h = new Harness().reply(fail(401, "x")).start();
        await settle();
        h.replies.push(new Promise<LoginResponse>(resolve => { release = resolve }) as unknown as LoginResponse);
        $<HTMLInputElement>("login-user-input").value = "admin";
        $("login-button").click();
        await settle();
        expect($("login-button").hasAttribute("disabled")).toBe(true);
        expect($("login-button").getAttribute("spinning")).toBe("true");
        expect($("login-progress").textContent).not.toBe("");
        release(fail(401, "Authentication failed"));
        await settle();
        await settle();
        expect($("login-button").hasAttribute("disabled")).toBe(false);
        expect($("login-progress").textContent).toBe("");
    });

    it("shows an unreachable gateway on a full page with a way back", async () => {
        const h = new Harness().reply(fail(401, "x")).start();
        await settle();
        h.reply({ status: 0, statusText: "", challenge: null, body: "" });
        await fillAndSubmit("admin", "pw");
        expect(visible("login-fatal")).toBe(true);
        expect($("login-fatal-message").textContent).not.toBe("");
        expect(visible("login")).toBe(false);
        $("login-again").click();
        expect(visible("login")).toBe(true);
        expect(visible("login-fatal")).toBe(false);
    });

    it("shows 'Permission denied' without details when the gateway gives none", async () => {
        const h = new Harness().reply(fail(401, "x")).start();
        await settle();
        h.reply(fail(403, "Permission denied"));
        await fillAndSubmit("admin", "pw");
        expect($("login-error-title").textContent).toBe("Permission denied");
        expect(visible("login-error-message")).toBe(false);
    });
});

describe("Connect to", () => {
    const key = "db1 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAcceptedKey\n";

    it("confirms a new host key, stores the full key line from login-data and opens /=host", async () => {
        const h = new Harness().reply(fail(401, "x")).start();
        await settle();
        h.reply(ask("c1", "The authenticity of host 'db1' can't be established", {
            "host-key": "db1 ED25519 login-data", "default": "SHA256:fpFPfp", "echo": false,
        }));
        await fillAndSubmit("admin", "pw", "admin@db1");
        const first = h.last();
        expect(first.path).toBe("/cockpit+=admin@db1/login");
        expect(first.headers["X-SSH-Connect-Unknown-Hosts"]).toBe("yes");
        expect(first.headers["X-Superuser"]).toBe("none");
        expect(h.local.getItem("superuser-key")).toBe("superuser:admin:admin@db1");

        expect(visible("hostkey-group")).toBe(true);
        expect(visible("login-user-input")).toBe(false);
        expect($("hostkey-title").textContent).toBe("New host");
        expect($("hostkey-message-1").textContent).toContain("admin@db1");
        expect($("hostkey-message-1").textContent).toContain("for the first time");
        expect($("hostkey-fingerprint").textContent).toBe("SHA256:fpFPfp");
        expect($("hostkey-verify-help-cmds").textContent).toBe("ssh-keyscan -t ed25519 localhost | ssh-keygen -lf -");
        expect($("login-button-text").textContent).toBe("Accept key and log in");
        expect($("login-button").classList.contains("pf-m-danger")).toBe(false);
        expect(visible("get-out-link")).toBe(true);

        h.reply(ok({ "csrf-token": "t", "login-data": { "known-hosts": key } }));
        $("login-button").click();
        await settle();
        expect(h.last().headers).toEqual({ Authorization: "X-Conversation c1 " + b64("SHA256:fpFPfp") });
        expect(h.last().path).toBe("/cockpit+=admin@db1/login");
        expect(JSON.parse(h.local.getItem("known_hosts")!)).toEqual({ db1: key });
        expect(h.local.getItem("cockpit+=admin@db1login-data")).toContain("known-hosts");
        expect(h.navigatedTo).toBe("/=admin@db1");
        expect(h.local.getItem("login:recent-hosts")).toBe("[\"admin@db1\"]");
    });

    it("sends the stored key and does not rewrite it when no question was asked", async () => {
        const h = new Harness().reply(fail(401, "x")).start();
        await settle();
        h.local.setItem("known_hosts", JSON.stringify({ db1: key }));
        h.reply(ok({ "csrf-token": "t", "login-data": { "known-hosts": "something else\n" } }));
        await fillAndSubmit("admin", "pw", "db1:22");
        expect(basicParts(h.last().headers.Authorization).knownHosts).toBe(key);
        expect(JSON.parse(h.local.getItem("known_hosts")!)).toEqual({ db1: key });
    });

    it("on a changed key retries without known_hosts, shows the red dialog and replaces the key", async () => {
        const h = new Harness().reply(fail(401, "x")).start();
        await settle();
        h.local.setItem("known_hosts", JSON.stringify({ "10.0.0.5": "10.0.0.5 ssh-ed25519 OLDKEY\n" }));
        h.reply(fail(401, "Authentication failed: invalid-hostkey", { problem: "invalid-hostkey" }));
        h.reply(ask("c2", "authenticity", { "host-key": "10.0.0.5 ED25519 login-data", "default": "SHA256:new" }));
        await fillAndSubmit("admin", "wrong", "10.0.0.5");
        await settle();
        expect(h.sent).toHaveLength(3);
        expect(basicParts(h.sent[1].headers.Authorization).knownHosts).toBe("10.0.0.5 ssh-ed25519 OLDKEY\n");
        expect(basicParts(h.sent[2].headers.Authorization).knownHosts).toBe("");
        expect($("hostkey-title").textContent).toBe("10.0.0.5 key changed");
        expect(visible("hostkey-warning-group")).toBe(true);
        expect($("login-button").classList.contains("pf-m-danger")).toBe(true);

        const newKey = "10.0.0.5 ssh-ed25519 NEWKEY\n";
        h.reply(fail(401, "Authentication failed", { problem: "authentication-failed", "known-hosts": newKey }));
        $("login-button").click();
        await settle();
        expect($("login-error-title").textContent).toBe("Authentication failed");
        expect(visible("login-error-message")).toBe(false);
        expect(visible("login-user-input")).toBe(true);
        expect(JSON.parse(h.local.getItem("known_hosts")!)).toEqual({ "10.0.0.5": newKey });
    });

    it("gives up after one changed-key retry", async () => {
        const h = new Harness().reply(fail(401, "x")).start();
        await settle();
        h.reply(fail(401, "Authentication failed: invalid-hostkey"), fail(401, "Authentication failed: invalid-hostkey"));
        await fillAndSubmit("admin", "pw", "db1");
        await settle();
        expect(h.sent).toHaveLength(3);
        expect($("login-error-title").textContent).toBe("Refusing to connect");
        expect($("login-error-message").textContent).toBe("Hostkey does not match");
        expect(visible("server-group")).toBe(true);
    });

    it("declines the key on Cancel so the gateway can drop the connection", async () => {
        const h = new Harness().reply(fail(401, "x")).start();
        await settle();
        h.reply(ask("c3", "authenticity", { "host-key": "db1 RSA login-data", "default": "SHA256:x" }));
        await fillAndSubmit("admin", "pw", "db1");
        h.reply(fail(401, "Authentication failed: unknown-hostkey"));
        $("get-out-link").click();
        await settle();
        expect(unb64(h.last().headers.Authorization.split(" ")[2])).toBe("no");
        expect(visible("login-user-input")).toBe(true);
        expect(visible("error-group")).toBe(false);
        expect(h.local.getItem("known_hosts")).toBeNull();
    });

    it("refuses a host key question without the login-data placeholder", async () => {
        const h = new Harness().reply(fail(401, "x")).start();
        await settle();
        h.reply(ask("c4", "?", { "host-key": "db1 ssh-ed25519 AAAA", "default": "SHA256:x" }));
        await fillAndSubmit("admin", "pw", "db1");
        expect(visible("login-fatal")).toBe(true);
        expect($("login-fatal-message").textContent).toContain("Internal protocol error");
    });

    it("requires a host in bastion mode and keeps the field open", async () => {
        const h = new Harness().start({ page: { require_host: true }, hostname: "gw" });
        expect(h.sent).toEqual([]);
        expect(visible("option-group")).toBe(false);
        expect(visible("server-group")).toBe(true);
        await fillAndSubmit("admin", "pw");
        expect(h.sent).toEqual([]);
        expect($("login-error-title").textContent).toBe("Please specify the host to connect to");
        expect(document.activeElement?.id).toBe("server-field");
    });

    it("hides Connect to when host logins are disabled", async () => {
        new Harness().reply(fail(401, "x")).start({ page: { connect: false } });
        await settle();
        expect(visible("option-group")).toBe(false);
        expect(visible("server-group")).toBe(false);
    });

    it("offers recent hosts in the datalist", async () => {
        const h = new Harness();
        h.local.setItem("login:recent-hosts", JSON.stringify(["db2", "db1"]));
        h.reply(fail(401, "x")).start();
        await settle();
        expect(Array.from($("recent-hosts-list").querySelectorAll("option"), o => (o as HTMLOptionElement).value)).toEqual(["db2", "db1"]);
    });

    it("logs into the host named in a /=HOST URL and reloads that URL", async () => {
        const h = new Harness().reply(fail(401, "x")).start({ page: { connect: true } }, "/=db1/system");
        await settle();
        expect(h.sent[0].path).toBe("/cockpit+=db1/login");
        expect($<HTMLInputElement>("server-field").value).toBe("db1");
        h.reply(ok({ "csrf-token": "t" }));
        await fillAndSubmit("admin", "pw");
        expect(h.last().path).toBe("/cockpit+=db1/login");
        expect(h.navigatedTo).toBeNull();
    });
});

describe("extra prompts", () => {
    it("asks a one-time code, submits it with Enter and reports a failed answer without blaming the password", async () => {
        const h = new Harness().reply(fail(401, "x")).start();
        await settle();
        h.reply(ask("q1", "Verification code: ", { echo: false, message: "Open your authenticator app" }));
        await fillAndSubmit("admin", "pw");
        expect(visible("conversation-group")).toBe(true);
        expect(visible("password-group")).toBe(false);
        expect($("conversation-prompt").textContent).toBe("Verification code: ");
        expect($("conversation-message").textContent).toBe("Open your authenticator app");
        expect($<HTMLInputElement>("conversation-input").type).toBe("password");
        expect(document.activeElement?.id).toBe("conversation-input");

        $<HTMLInputElement>("conversation-input").value = "123456";
        h.reply(ask("q2", "Verification code: ", { echo: true, error: "Wrong code, try again" }));
        $<HTMLFormElement>("login-form").requestSubmit();
        await settle();
        expect(h.last().headers.Authorization).toBe("X-Conversation q1 " + b64("123456"));
        expect($("conversation-message").textContent).toBe("Wrong code, try again");
        expect($<HTMLInputElement>("conversation-input").type).toBe("text");
        expect($<HTMLInputElement>("conversation-input").value).toBe("");

        h.reply(fail(401, "Authentication failed"));
        $<HTMLInputElement>("conversation-input").value = "000000";
        $("login-button").click();
        await settle();
        expect($("login-error-title").textContent).toBe("Authentication failed");
        expect(visible("login-error-message")).toBe(false);
        expect(visible("login-user-input")).toBe(true);
    });

    it("walks an expired password through new and retyped password", async () => {
        const h = new Harness().reply(fail(401, "x")).start();
        await settle();
        h.reply(ask("p1", "New password: ", { echo: false, message: "You are required to change your password immediately" }));
        await fillAndSubmit("admin", "old");
        expect($("conversation-prompt").textContent).toBe("New password: ");
        h.reply(ask("p2", "Retype new password: ", { echo: false }));
        $<HTMLInputElement>("conversation-input").value = "n3w";
        $("login-button").click();
        await settle();
        expect($("conversation-prompt").textContent).toBe("Retype new password: ");
        expect(visible("conversation-message")).toBe(false);
        h.reply(ok({ "csrf-token": "t" }));
        $<HTMLInputElement>("conversation-input").value = "n3w";
        $("login-button").click();
        await settle();
        expect(h.last().headers.Authorization).toBe("X-Conversation p2 " + b64("n3w"));
        expect(h.navigatedTo).toBeNull();
    });
});

describe("translation", () => {
    it("applies Cockpit's catalog to static and dynamic text", async () => {
        (window as { cockpit_po?: unknown }).cockpit_po = {
            "": { language: "de", "language-direction": "ltr" },
            "User name": [null, "Benutzername"],
            "Authentication failed": [null, "Authentifizierung fehlgeschlagen"],
        };
        translateDocument(document);
        expect(document.querySelector("label[for=login-user-input]")?.textContent).toBe("Benutzername");
        expect(document.documentElement.lang).toBe("de");
        const h = new Harness().reply(fail(401, "x")).start();
        await settle();
        h.reply(fail(401, "Authentication failed"));
        await fillAndSubmit("admin", "pw");
        expect($("login-error-title").textContent).toBe("Authentifizierung fehlgeschlagen");
    });
});
