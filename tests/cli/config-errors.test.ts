// A setting that names a trust folder that is not there is said plainly, at once, by every command that
// analyzes: exit 2 and the setting named, never a stack trace, and never a server that starts only to
// fail every document.
import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
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
