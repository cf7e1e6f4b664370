import { describe, expect, it } from "vitest";
import { databaseHost, KnownHostsDatabase } from "../src/known-hosts";
import { MemoryStorage } from "./memory-storage";

describe("databaseHost", () => {
    it.each([
        ["db1", "db1"],
        ["admin@db1", "db1"],
        ["db1:2222", "db1"],
        ["admin@db1:2222", "db1"],
        ["10.0.0.5", "10.0.0.5"],
        ["root@10.0.0.5:22", "10.0.0.5"],
        ["::1", "::1"],
        ["[::1]", "::1"],
        ["[::1]:22", "::1"],
        ["fe80::1", "fe80::1"],
        ["[fe80::1]:2222", "fe80::1"],
        ["other@172.27.0.15", "172.27.0.15"],
    ])("%s -> %s", (target, expected) => {
        expect(databaseHost(target)).toBe(expected);
    });
});

describe("KnownHostsDatabase", () => {
    const line = "db1 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOhostkey\n";

    it("stores under the bare host and finds it from any target form", () => {
        const storage = new MemoryStorage();
        const db = new KnownHostsDatabase(storage);
        db.store("admin@db1:2222", line);
        expect(JSON.parse(storage.getItem("known_hosts")!)).toEqual({ db1: line });
        expect(db.linesFor("db1")).toBe(line);
        expect(db.linesFor("someone@db1")).toBe(line);
        expect(db.linesFor("[db1]:22")).toBe(line);
        expect(db.linesFor("db2")).toBeUndefined();
    });

    it("replaces a host's lines and keeps other hosts", () => {
        const storage = new MemoryStorage();
        storage.setItem("known_hosts", JSON.stringify({ db1: "old\n", db2: "two\n" }));
        const db = new KnownHostsDatabase(storage);
        db.store("db1", line);
        expect(JSON.parse(storage.getItem("known_hosts")!)).toEqual({ db1: line, db2: "two\n" });
    });

    it("treats a corrupt or non-object value as empty and repairs it on write", () => {
        for (const corrupt of ["{not json", "[1,2]", "\"text\"", "null"]) {
            const storage = new MemoryStorage();
            storage.setItem("known_hosts", corrupt);
            const db = new KnownHostsDatabase(storage);
            expect(db.linesFor("db1"), corrupt).toBeUndefined();
            db.store("db1", line);
            expect(JSON.parse(storage.getItem("known_hosts")!), corrupt).toEqual({ db1: line });
        }
    });

    it("ignores empty entries", () => {
        const storage = new MemoryStorage();
        storage.setItem("known_hosts", JSON.stringify({ db1: "" }));
        expect(new KnownHostsDatabase(storage).linesFor("db1")).toBeUndefined();
    });
});
