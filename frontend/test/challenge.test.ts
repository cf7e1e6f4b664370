import { describe, expect, it } from "vitest";
import {
    base64Utf8, basicAuthorization, conversationAuthorization, keyscanType, parseChallenge,
} from "../src/challenge";

const b64 = (s: string) => Buffer.from(s, "utf8").toString("base64");

describe("authorization headers", () => {
    it("Basic always carries the NUL and the known_hosts part", () => {
        const header = basicAuthorization("admin", "foobar", "");
        expect(header.startsWith("Basic ")).toBe(true);
        expect(Buffer.from(header.substring(6), "base64").toString("utf8")).toBe("admin:foobar\0");
    });

    it("Basic encodes UTF-8 and appends the known_hosts lines after the NUL", () => {
        const keys = "db1 ssh-ed25519 AAAA\n";
        const header = basicAuthorization("jürgen", "pässwörd:x", keys);
        expect(Buffer.from(header.substring(6), "base64").toString("utf8")).toBe("jürgen:pässwörd:x\0" + keys);
    });

    it("X-Conversation answers are base64 of UTF-8", () => {
        expect(conversationAuthorization("abc123", "SHA256:xyz")).toBe("X-Conversation abc123 " + b64("SHA256:xyz"));
        expect(conversationAuthorization("id", "")).toBe("X-Conversation id ");
        expect(base64Utf8("€")).toBe(b64("€"));
    });
});

describe("parseChallenge", () => {
    it("reads a password prompt", () => {
        const c = parseChallenge("X-Conversation 7f3a " + b64("Verification code: "), JSON.stringify({
            prompt: "Verification code: ", echo: false, message: "Use your authenticator",
        }));
        expect(c).toEqual({
            id: "7f3a", prompt: "Verification code: ", echo: false, message: "Use your authenticator",
            defaultAnswer: "", hostKey: null,
        });
    });

    it("prefers error over message and honours echo and default", () => {
        const c = parseChallenge("x-conversation id1 " + b64("Name:"), JSON.stringify({
            echo: true, message: "m", error: "Permission denied, please try again.", default: "bob",
        }))!;
        expect(c.echo).toBe(true);
        expect(c.message).toBe("Permission denied, please try again.");
        expect(c.defaultAnswer).toBe("bob");
    });

    it("reads a host key question with the login-data placeholder", () => {
        const c = parseChallenge("X-Conversation k1 " + b64("The authenticity of host ..."), JSON.stringify({
            "host-key": "[db1]:2222 ED25519 login-data", "default": "SHA256:abcdef", "echo": false,
        }))!;
        expect(c.hostKey).toEqual({ host: "[db1]:2222", keyType: "ED25519", deferred: true });
        expect(c.defaultAnswer).toBe("SHA256:abcdef");
    });

    it("flags a host key question without the placeholder", () => {
        const c = parseChallenge("X-Conversation k1 " + b64("?"), JSON.stringify({
            "host-key": "db1 ssh-ed25519 AAAAC3Nza", "default": "SHA256:abcdef",
        }))!;
        expect(c.hostKey?.deferred).toBe(false);
    });

    it("decodes UTF-8 prompts", () => {
        expect(parseChallenge("X-Conversation i " + b64("Kennwort für jürgen:"), "{}")!.prompt).toBe("Kennwort für jürgen:");
    });

    it("survives a body that is not a JSON object", () => {
        for (const body of ["", "<html>", "[]", "null", "42"]) {
            const c = parseChallenge("X-Conversation i " + b64("Password:"), body);
            expect(c, body).toEqual({ id: "i", prompt: "Password:", echo: false, message: "", defaultAnswer: "", hostKey: null });
        }
    });

    it.each([
        [null],
        [""],
        ["Basic realm=x"],
        ["X-Conversation onlyid"],
        ["X-Conversation id " + b64("a") + " extra"],
        ["X-Conversation  " + b64("a")],
        ["Negotiate abc def"],
        ["X-Conversation id !!!notbase64"],
    ])("rejects %j", header => {
        expect(parseChallenge(header, "{}")).toBeNull();
    });
});

describe("keyscanType", () => {
    it.each([
        ["ED25519", "ed25519"], ["ECDSA", "ecdsa"], ["RSA", "rsa"], ["", ""], ["WEIRD;rm", ""],
    ])("%s -> %s", (type, expected) => expect(keyscanType(type)).toBe(expected));
});
