// A setting that names a trust folder that is not there is said plainly, at once, by every command that
// analyzes: exit 2 and the setting named, never a stack trace, and never a server that starts only to
// fail every document.
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FIXTURES, ROOT } from "../helpers/paths.js";

const BIN = join(ROOT, "bin", "kyso.js");
const run = (env: Record<string, string>, ...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", timeout: 30_000, env: { ...process.env, ...env } });

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
