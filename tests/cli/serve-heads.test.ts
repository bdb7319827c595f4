// kyso serve --data DIR keeps its signed log heads in DIR/heads.jsonl (issue 28, point 2): the default was
// fixed from ./data before --data was applied, so two stores served from one working directory shared
// (or broke) one ./data/heads.jsonl.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../helpers/paths.js";

/** Starts kyso serve in `cwd` on `data`, waits until it serves, then stops it (SIGTERM publishes a last head). */
function serveOnce(cwd: string, data: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [join(ROOT, "bin", "kyso.js"), "serve", "--data", data, "--port", "0", "--trust", join(ROOT, "fixtures", "trust")], { cwd, env: Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== "KYSO_PUBLISH_HEADS" && k !== "KYSO_DATA_DIR")) });
    let out = "";
    const timer = setTimeout(() => (p.kill("SIGKILL"), reject(new Error(`no start: ${out}`))), 30_000);
    p.stdout.on("data", (b: Buffer) => {
      out += b.toString();
      if (out.includes("kyso serving")) p.kill("SIGTERM");
    });
    p.stderr.on("data", (b: Buffer) => (out += b.toString()));
    p.on("exit", () => (clearTimeout(timer), resolve(out)));
  });
}

describe("kyso serve --data", () => {
  it("keeps each store's heads in its own folder, none in ./data of the working directory", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "kyso-two-stores-"));
    await serveOnce(cwd, "store-a");
    await serveOnce(cwd, "store-b");
    for (const s of ["store-a", "store-b"]) {
      expect(existsSync(join(cwd, s, "heads.jsonl")), s).toBe(true);
      expect(readFileSync(join(cwd, s, "heads.jsonl"), "utf8")).toMatch(/"root"|"size"/);
    }
    expect(existsSync(join(cwd, "data"))).toBe(false);
  }, 60_000);
});
