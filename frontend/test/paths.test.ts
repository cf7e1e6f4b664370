import { describe, expect, it } from "vitest";
import { isNested, loginApplication, loginPath, pageLocation, urlAfterLogin } from "../src/paths";

describe("pageLocation", () => {
    it.each([
        ["/", "/", { urlRoot: "", application: "cockpit", hostFromPath: "" }],
        ["/system/services", "/", { urlRoot: "", application: "cockpit", hostFromPath: "" }],
        ["/=db1", "/", { urlRoot: "", application: "cockpit+=db1", hostFromPath: "db1" }],
        ["/=root@10.0.0.5:2222/network", "/", { urlRoot: "", application: "cockpit+=root@10.0.0.5:2222", hostFromPath: "root@10.0.0.5:2222" }],
        ["/cockpit/@localhost/system/index.html", "/", { urlRoot: "", application: "cockpit", hostFromPath: "" }],
        ["/cockpit+app/@localhost/x.html", "/", { urlRoot: "", application: "cockpit+app", hostFromPath: "" }],
        ["/cockpit+=db1/@localhost/x.html", "/", { urlRoot: "", application: "cockpit+=db1", hostFromPath: "" }],
        ["/console/system", "/console/", { urlRoot: "console", application: "cockpit", hostFromPath: "" }],
        ["/console/=db1/system", "/console/", { urlRoot: "console", application: "cockpit+=db1", hostFromPath: "db1" }],
        ["/console", "/console/", { urlRoot: "console", application: "cockpit", hostFromPath: "" }],
    ])("%s (base %s)", (pathname, base, expected) => {
        expect(pageLocation(pathname, base)).toEqual(expected);
    });
});

describe("login path and destination", () => {
    const local = pageLocation("/system", "/");
    const host = pageLocation("/=db1/system", "/");
    const rooted = pageLocation("/console/", "/console/");

    it("posts to the application's login", () => {
        expect(loginPath(local, loginApplication(local, ""))).toBe("/cockpit/login");
        expect(loginPath(local, loginApplication(local, "db2"))).toBe("/cockpit+=db2/login");
        expect(loginPath(host, loginApplication(host, "db1"))).toBe("/cockpit+=db1/login");
        expect(loginPath(rooted, loginApplication(rooted, "db2"))).toBe("/console/cockpit+=db2/login");
    });

    it("reloads in place unless Connect-to names another application", () => {
        expect(urlAfterLogin(local, "cockpit", "")).toBeNull();
        expect(urlAfterLogin(host, "cockpit+=db1", "db1")).toBeNull();
        expect(urlAfterLogin(local, "cockpit+=db2", "db2")).toBe("/=db2");
        expect(urlAfterLogin(host, "cockpit+=db2", "db2")).toBe("/=db2");
        expect(urlAfterLogin(rooted, "cockpit+=db2", "db2")).toBe("/console/=db2");
    });

    it("recognises pages inside shell frames", () => {
        expect(isNested("/cockpit/@localhost/system/index.html", local)).toBe(true);
        expect(isNested("/cockpit+=db1/@localhost/x.html", local)).toBe(true);
        expect(isNested("/system", local)).toBe(false);
        expect(isNested("/console/cockpit/@localhost/x.html", rooted)).toBe(true);
    });
});
