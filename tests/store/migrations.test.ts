// The schema's steps are .sql files (issue 26): numbered without a gap, all applied to a new store, and
// shipped in the package (they are read at run time from beside dist/).
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { openDb } from "../../src/store/sqlite/db.js";
import { sqliteMigrations, SQLITE_MIGRATIONS_DIR } from "../../src/store/sqlite/migrations.js";

describe("migrations as files", () => {
  it("applies every file to a new store, in order", () => {
    const steps = sqliteMigrations();
    expect(steps.length).toBeGreaterThanOrEqual(13);
    const db = openDb(mkdtempSync(join(tmpdir(), "kyso-mig-")));
    expect(db.pragma("user_version", { simple: true })).toBe(steps.length);
    // the last step's table exists: the files, not an older list, made this schema
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'pending_derivations'").get()).toBeTruthy();
    db.close();
  });

  it("refuses a folder with a gap or a stray name, naming the file", () => {
    const dir = mkdtempSync(join(tmpdir(), "kyso-mig-"));
    writeFileSync(join(dir, "0001-first.sql"), "CREATE TABLE a (x);");
    writeFileSync(join(dir, "0003-third.sql"), "CREATE TABLE c (x);");
    expect(() => sqliteMigrations(dir)).toThrow(/0003-third\.sql.*expected number 0002/);
    const empty = mkdtempSync(join(tmpdir(), "kyso-mig-"));
    expect(() => sqliteMigrations(empty)).toThrow(/no \.sql file/);
  });

  it("ships the folder in the package", () => {
    const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { files: string[] };
    expect(pkg.files).toContain("migrations/");
    expect(SQLITE_MIGRATIONS_DIR).toMatch(/migrations[\\/]sqlite[\\/]$/);
  });
});
