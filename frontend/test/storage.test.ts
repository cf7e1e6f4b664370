import { describe, expect, it } from "vitest";
import { clearStorage, recentHosts, rememberHost, storeLoginData, superuserForLogin } from "../src/storage";
import { format, gettext } from "../src/i18n";
import { MemoryStorage } from "./memory-storage";

describe("superuserForLogin", () => {
    it("defaults to none and records the key the shell updates", () => {
        const s = new MemoryStorage();
        expect(superuserForLogin(s, "admin", "")).toBe("none");
        expect(s.snapshot()).toEqual({ "superuser-key": "superuser:admin", "superuser:admin": "none", "standard-login": "true" });
    });

    it("uses the stored choice per user and host", () => {
        const s = new MemoryStorage();
        s.setItem("superuser:admin:db1", "any");
        s.setItem("superuser:admin", "sudo");
        expect(superuserForLogin(s, "admin", "db1")).toBe("any");
        expect(s.getItem("superuser-key")).toBe("superuser:admin:db1");
        expect(superuserForLogin(s, "admin", "")).toBe("sudo");
        expect(s.getItem("superuser-key")).toBe("superuser:admin");
    });
});

describe("storeLoginData", () => {
    it("keeps Cockpit's key names and clears the application's old data", () => {
        const local = new MemoryStorage();
        const session = new MemoryStorage();
        local.setItem("cockpit+=db1:stale", "x");
        local.setItem("login-data", "old");
        local.setItem("known_hosts", "{}");
        local.setItem("shell:style", "dark");
        session.setItem("random", "1");
        session.setItem("cockpit+=db1:page", "2");
        session.setItem("cockpit:other", "3");
        storeLoginData(local, session, "cockpit+=db1", { "known-hosts": "k\n" }, "", "/ca.cer");
        expect(local.snapshot()).toEqual({
            "known_hosts": "{}",
            "shell:style": "dark",
            "cockpit+=db1login-data": "{\"known-hosts\":\"k\\n\"}",
            "login-data": "{\"known-hosts\":\"k\\n\"}",
        });
        expect(session.snapshot()).toEqual({ "cockpit:other": "3", "CACertUrl": "/ca.cer" });
    });

    it("writes url-root only under a UrlRoot", () => {
        const local = new MemoryStorage();
        storeLoginData(local, new MemoryStorage(), "cockpit", undefined, "console", undefined);
        expect(local.snapshot()).toEqual({ "url-root": "console" });
    });
});

describe("clearStorage", () => {
    it("removes by prefix, and in full mode everything not starting with cockpit", () => {
        const s = new MemoryStorage();
        for (const k of ["a", "cockpit:x", "cockpit+=h:y", "b"])
            s.setItem(k, "1");
        clearStorage(s, "cockpit+=h", false);
        expect(Object.keys(s.snapshot())).toEqual(["a", "cockpit:x", "b"]);
        clearStorage(s, "cockpit+=h", true);
        expect(Object.keys(s.snapshot())).toEqual(["cockpit:x"]);
    });
});

describe("recent hosts", () => {
    it("keeps the ten most recent, newest first, without duplicates", () => {
        const s = new MemoryStorage();
        for (let i = 0; i < 12; i++)
            rememberHost(s, "h" + i);
        rememberHost(s, "h5");
        const hosts = recentHosts(s);
        expect(hosts).toHaveLength(10);
        expect(hosts[0]).toBe("h5");
        expect(hosts[1]).toBe("h11");
        expect(new Set(hosts).size).toBe(10);
    });

    it("reads garbage as empty", () => {
        const s = new MemoryStorage();
        s.setItem("login:recent-hosts", "{oops");
        expect(recentHosts(s)).toEqual([]);
        s.setItem("login:recent-hosts", JSON.stringify(["a", 3, "", "b"]));
        expect(recentHosts(s)).toEqual(["a", "b"]);
    });
});

describe("format and gettext", () => {
    it("fills $N and ${N} placeholders", () => {
        expect(format("$0 key changed", "db1")).toBe("db1 key changed");
        expect(format("${1} then $0 and $2", "a", "b")).toBe("b then a and ");
    });

    it("falls back to the message id", () => {
        expect(gettext("Log in", undefined)).toBe("Log in");
        expect(gettext("Log in", { "Log in": [null, "Anmelden"] })).toBe("Anmelden");
        expect(gettext("Log in", { "Log in": [null, ""] })).toBe("Log in");
        expect(gettext("Log in", { "Log in": "not an array" })).toBe("Log in");
    });
});
