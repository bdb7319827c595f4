// A setting that names a trust folder that is not there is said plainly, at once, by every command that
// analyzes: exit 2 and the setting named, never a stack trace, and never a server that starts only to
// fail every document.
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FIXTURES, ROOT } from "../helpers/paths.js";

const BIN = join(ROOT, "bin", "kyso.js");
const run = (env: Record<string, string>, ...args: string[]) =>
  spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", timeout: 30_000, env: { ...process.env, ...env } });

describe("a trust folder that is not there", () => {
  it("stops kyso verify, kyso serve and kyso worker with the setting named", () => {
    const env = { KYSO_TRUST_DIRS: "/nonexistent/trust" };
    const data = mkdtempSync(join(tmpdir(), "kyso-cfg-"));
    for (const r of [
      run(env, "verify", join(FIXTURES, "content-blank.pdf")),
      run(env, "serve", "--port", "0", "--data", data),
      run({ ...env, REDIS_URL: "redis://127.0.0.1:1", KYSO_API_URL: "http://127.0.0.1:1", KYSO_WORKER_KEY: "k" }, "worker"),
    ]) {
      expect(r.status, r.stderr).toBe(2);
      expect(r.stderr).toBe("kyso: KYSO_TRUST_DIRS: no folder '/nonexistent/trust'\n");
    }
  });
});

describe("a data folder that cannot be made", () => {
  it("stops kyso serve and kyso keys with the folder named, instead of hanging or a stack trace", () => {
    const base = mkdtempSync(join(tmpdir(), "kyso-cfg-"));
    writeFileSync(join(base, "file"), "x");
    const cases: Array<[string, RegExp]> = [[join(base, "file", "data"), /is a file, not a folder/]];
    if (process.platform === "linux") cases.push(["/proc/kyso-test-data", /this file system does not take new folders here/]);
    for (const [data, why] of cases) {
      for (const r of [run({}, "serve", "--port", "0", "--data", data), run({}, "keys", "create", "--role", "viewer", "--label", "x", "--data", data)]) {
        expect(r.status, r.stderr).toBe(2);
        expect(r.stderr).toMatch(new RegExp(`^kyso: cannot make the data folder '${data.replace(/[/.]/g, "\\$&")}': `));
        expect(r.stderr).toMatch(why);
        expect(r.stderr).not.toMatch(/\n\s+at /);
      }
    }
  });
});

describe("a data folder that cannot be written or opened", () => {
  // root writes in a 0555 folder anyway: as root, the commands run as nobody, when this machine lets them
  const asRoot = process.getuid?.() === 0;
  const nobody = { uid: 65534, gid: 65534 };
  const canDropToNobody = asRoot && spawnSync(process.execPath, ["-e", ""], nobody).status === 0;
  const runAs = (user: object, ...args: string[]) =>
    spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", timeout: 30_000, env: process.env, ...user });
  /** Every command that writes a store, on `data`: exit 2, the folder named, no stack trace. */
  const refusedEverywhere = (data: string, why: RegExp, user: object = {}) => {
    const base = mkdtempSync(join(tmpdir(), "kyso-cfg-"));
    chmodSync(base, 0o755);
    writeFileSync(join(base, "register.csv"), "sender,number\n");
    for (const args of [
      ["serve", "--port", "0", "--data", data],
      ["scan", base, "--register", join(base, "register.csv"), "--data", data],
      ["keys", "create", "--role", "viewer", "--label", "x", "--data", data],
    ]) {
      const r = runAs(user, ...args);
      expect(r.status, `kyso ${args[0]}: ${r.stderr}`).toBe(2);
      expect(r.stderr).toMatch(new RegExp(`^kyso: cannot (use|open the store in) the data folder '${data.replace(/[/.]/g, "\\$&")}': `));
      expect(r.stderr).toMatch(why);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  };

  it.skipIf(asRoot && !canDropToNobody)("stops every command that writes, for a read-only folder new or holding a store (0555)", () => {
    const base = mkdtempSync(join(tmpdir(), "kyso-ro-"));
    chmodSync(base, 0o755);
    const empty = join(base, "empty");
    const held = join(base, "held");
    mkdirSync(empty);
    expect(run({}, "keys", "create", "--role", "admin", "--label", "x", "--data", held).status).toBe(0);
    for (const d of [empty, held]) {
      chmodSync(d, 0o555);
      refusedEverywhere(d, /permission denied \(EACCES\)/, asRoot ? nobody : {});
    }
  });

  it.skipIf(process.platform !== "linux")("stops them for a folder where no file can be made (under /proc and /sys)", () => {
    refusedEverywhere("/proc/1", /\((EPERM|EACCES|SQLITE_CANTOPEN)/);
    refusedEverywhere("/sys/kernel", /\((EPERM|EACCES|EROFS|SQLITE_CANTOPEN)/);
  });

  it("stops them for a kyso.db that is not a database", () => {
    const data = mkdtempSync(join(tmpdir(), "kyso-notadb-"));
    writeFileSync(join(data, "kyso.db"), "not a database, but long enough to have a header where SQLite looks for one".repeat(20));
    refusedEverywhere(data, /kyso\.db there is not a database \(SQLITE_NOTADB/);
  });
});
