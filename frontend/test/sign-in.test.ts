// @vitest-environment happy-dom
/**
 * The users-file sign-in form in a DOM: the real sign-in.html markup and controller, with the gateway's answer to the
 * post scripted (the browser test against the real gateway is SignInUsersFileIT).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { SignInForm } from "../src/sign-in";

const markup = readFileSync(join(__dirname, "..", "sign-in.html"), "utf8");
const body = markup.substring(markup.indexOf("<body>") + 6, markup.indexOf("</body>"));

interface Posted {
    url: string;
    body: URLSearchParams;
}

let posted: Posted[];
let navigated: string[];
let status: number | "unreachable";

function start(search = ""): SignInForm {
    document.body.innerHTML = body;
    const form = new SignInForm({
        document,
        search,
        post: async (url, b) => {
            posted.push({ url, body: b });
            if (status === "unreachable")
                throw new TypeError("network");
            return { status };
        },
        navigate: url => navigated.push(url),
    });
    form.start();
    return form;
}

const $ = (id: string) => document.getElementById(id) as HTMLInputElement;

function fill(user: string, password: string): void {
    $("sign-in-user").value = user;
    $("sign-in-password").value = password;
}

beforeEach(() => {
    posted = [];
    navigated = [];
    status = 200;
});

describe("sign-in form", () => {
    it("shows the form and hides the no-JavaScript notice", () => {
        start();
        expect($("sign-in-form").hidden).toBe(false);
        expect($("error-group").hidden).toBe(true);
    });

    it("posts the Quarkus form fields and goes back to sign-in with the same query on 200", async () => {
        const form = start("?return=%2Froot%2F%3Dweb-1%2F");
        fill(" alice ", "pw:with spaces");
        await form.submit();
        expect(posted).toHaveLength(1);
        expect(posted[0].url).toBe("fleet/j_security_check");
        expect(posted[0].body.get("j_username")).toBe("alice");
        expect(posted[0].body.get("j_password")).toBe("pw:with spaces");
        expect(navigated).toEqual(["fleet/sign-in?return=%2Froot%2F%3Dweb-1%2F"]);
    });

    it("says the credentials are wrong on 401, clears the password and stays", async () => {
        const form = start();
        status = 401;
        fill("alice", "wrong");
        await form.submit();
        expect(navigated).toEqual([]);
        expect($("error-group").hidden).toBe(false);
        expect($("sign-in-error").textContent).toBe("Wrong user name or password");
        expect($("sign-in-password").value).toBe("");
    });

    it("names other statuses and an unreachable gateway", async () => {
        const form = start();
        status = 403;
        fill("alice", "pw");
        await form.submit();
        expect($("sign-in-error").textContent).toBe("Sign-in failed (403)");
        status = "unreachable";
        fill("alice", "pw");
        await form.submit();
        expect($("sign-in-error").textContent).toBe("The gateway cannot be reached");
    });

    it("does not post without a user name and password", async () => {
        const form = start();
        fill("", "pw");
        await form.submit();
        fill("alice", "");
        await form.submit();
        expect(posted).toEqual([]);
        expect($("sign-in-error").textContent).toBe("User name and password are required");
    });
});
