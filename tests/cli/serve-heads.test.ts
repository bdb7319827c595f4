// kyso serve --data DIR keeps its signed log heads in DIR/heads.jsonl (issue 28, point 2): the default was
// fixed from ./data before --data was applied, so two stores served from one working directory shared
// (or broke) one ./data/heads.jsonl.
import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../helpers/paths.js";

/** Starts kyso serve in `cwd` on `data`, waits until it serves, then stops it (SIGTERM publishes a last head). */
function serveOnce(cwd: string, data: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [join(ROOT, "bin", "kyso.js"), "serve", "--data", data, "--port", "0", "--trust", join(ROOT, "fixtures", "trust")], {
      cwd,
      env: Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== "KYSO_PUBLISH_HEADS" && k !== "KYSO_DATA_DIR")),
    });
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

// Issue 28, point 3: every file of a store (database, blobs, key, heads) is named from the folder the
// command was given. Two stores run side by side from one working directory that also holds a ./data
// belonging to neither: each keeps its database, key and heads, and ./data is left as it was.
const CLEAN_ENV = Object.fromEntries(Object.entries(process.env).filter(([k]) => !["KYSO_PUBLISH_HEADS", "KYSO_DATA_DIR", "KYSO_LOG_KEY"].includes(k)));
const kyso = (cwd: string, ...args: string[]) => {
  const r = spawnSync(process.execPath, [join(ROOT, "bin", "kyso.js"), ...args], { cwd, env: CLEAN_ENV, encoding: "utf8", timeout: 30_000 });
  if (r.status !== 0) throw new Error(`kyso ${args.join(" ")}: exit ${r.status}: ${r.stderr}`);
  return r.stdout;
};

/** kyso serve running in `cwd` on `data` (heads published every second) until stop() (SIGTERM: a last head). */
async function serving(cwd: string, data: string): Promise<{ stop(): Promise<void> }> {
  const p = spawn(process.execPath, [join(ROOT, "bin", "kyso.js"), "serve", "--data", data, "--port", "0"], {
    cwd,
    env: { ...CLEAN_ENV, KYSO_PUBLISH_INTERVAL: "1" },
  });
  let out = "";
  p.stdout.on("data", (b: Buffer) => (out += b.toString()));
  p.stderr.on("data", (b: Buffer) => (out += b.toString()));
  const exited = new Promise<void>((resolve) => p.on("exit", () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const timer = setInterval(() => {
      if (out.includes("kyso serving")) resolve();
      else if (p.exitCode !== null) reject(new Error(`kyso serve --data ${data} ended: ${out}`));
    }, 20);
    void exited.then(() => setTimeout(() => clearInterval(timer), 40));
    setTimeout(() => (clearInterval(timer), p.kill("SIGKILL"), reject(new Error(`no start: ${out}`))), 30_000).unref();
  });
  return { stop: () => (p.kill("SIGTERM"), exited) };
}

/** Every file under `dir` with its content hash and modification time. */
function snapshot(dir: string): Record<string, string> {
  return Object.fromEntries(
    readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => join(e.parentPath, e.name))
      .map((f) => [f, `${createHash("sha256").update(readFileSync(f)).digest("hex")} ${statSync(f).mtimeMs}`]),
  );
}

describe("two stores from one working directory", () => {
  it("keep their own database, key and heads, and leave a ./data of neither untouched", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "kyso-side-by-side-"));
    // ./data: a third store with its own key and published heads
    kyso(cwd, "keys", "create", "--role", "admin", "--label", "another store", "--data", "data");
    kyso(cwd, "audit", "head", "--data", "data", "--publish", join("data", "heads.jsonl"));
    const before = snapshot(join(cwd, "data"));

    const stores = ["store-a", "store-b"];
    const servers = await Promise.all(stores.map((s) => serving(cwd, s)));
    try {
      // the CLI writes the log of a store its server is running on, then publishes a head of each
      for (const s of stores) kyso(cwd, "keys", "create", "--role", "viewer", "--label", `reader of ${s}`, "--data", s);
      for (const s of stores) kyso(cwd, "audit", "head", "--data", s, "--publish", join(s, "heads.jsonl"));
    } finally {
      await Promise.all(servers.map((s) => s.stop()));
    }

    const keyOf = (s: string) => kyso(cwd, "audit", "key", "--data", s).split("\n")[0]!;
    const keys = ["data", ...stores].map(keyOf);
    expect(new Set(keys).size).toBe(3);
    for (const [i, s] of stores.entries()) {
      for (const f of ["kyso.db", "log-key.pem", "heads.jsonl", "blobs"]) expect(existsSync(join(cwd, s, f)), `${s}/${f}`).toBe(true);
      const heads = readFileSync(join(cwd, s, "heads.jsonl"), "utf8")
        .trim()
        .split("\n")
        .map((l) => (JSON.parse(l) as { signedHead: { publicKey: string; size: number; root: string } }).signedHead);
      // the server's heads (at start, at intervals, at stop) and the CLI's, all of this store's key
      expect(heads.length, s).toBeGreaterThanOrEqual(2);
      expect(new Set(heads.map((h) => h.publicKey)), s).toEqual(new Set([keys[i + 1]]));
      const now = (JSON.parse(kyso(cwd, "audit", "head", "--data", s)) as { signedHead: { size: number; root: string } }).signedHead;
      expect(heads.at(-1)!.size, s).toBe(now.size);
      // its own heads checked against its own log (another store's heads would not check out)
      expect(kyso(cwd, "audit", "verify", "--data", s, "--json")).toMatch(/"ok":\s*true/);
    }
    expect(snapshot(join(cwd, "data"))).toEqual(before);
  }, 120_000);
});
