// Several processes writing one store at once (kyso scan or kyso keys while kyso serve ingests). Every
// write that reads before it writes runs as BEGIN IMMEDIATE: a deferred one that read before another
// process committed cannot become a writer in WAL mode (SQLITE_BUSY_SNAPSHOT, with no waiting), which made
// ~20% of such writes fail here. Nothing may fail, and the log's chain must hold every entry.
import { updateDirectory } from "../../src/lifecycle/index.js";
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseCsv } from "../../src/ingest/csv.js";
import { verifyStoredChain } from "../../src/store/sqlite/check.js";
import { openDb } from "../../src/store/sqlite/db.js";
import { AGENCIES_CSV } from "../../fixtures/sample/generate.js";
import { ROOT } from "../helpers/paths.js";

function writer(data: string, n: number, what: "documents" | "keys"): Promise<{ errors: number; first: string | null }> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [join(ROOT, "tests", "helpers", "store-writer.mjs"), data, String(n), what], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    p.stdout!.on("data", (d) => (out += String(d)));
    p.on("exit", (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`writer exited ${code}`))));
  });
}

describe("concurrent writers", () => {
  it("three processes registering documents and creating keys at once: no write fails, the chain holds them all", async () => {
    const data = mkdtempSync(join(tmpdir(), "kyso-writers-"));
    const db = openDb(data);
    const { rows } = parseCsv(readFileSync(AGENCIES_CSV, "utf8"));
    updateDirectory(
      db,
      rows.map(([code, name, parent, kind]) => ({ code: code!, name: name!, parent: parent || null, kind: kind! })),
      "test",
    );
    db.close();
    const results = await Promise.all([writer(data, 400, "documents"), writer(data, 400, "documents"), writer(data, 300, "keys")]);
    expect(results).toEqual([
      { errors: 0, first: null },
      { errors: 0, first: null },
      { errors: 0, first: null },
    ]);
    const after = openDb(data);
    try {
      expect((after.prepare("SELECT count(*) n FROM documents").get() as { n: number }).n).toBe(800);
      const chain = verifyStoredChain(after);
      expect(chain.ok).toBe(true);
      // the log key, the agency update, one entry per key, and the facts of each paper row (they are in the figures)
      expect(chain.entries).toBe(2 + 300 + 800);
    } finally {
      after.close();
    }
  }, 60_000);

  it("processes opening a new store at once take turns at creating it", async () => {
    const data = mkdtempSync(join(tmpdir(), "kyso-writers-new-"));
    const results = await Promise.all(Array.from({ length: 8 }, () => writer(data, 10, "keys")));
    expect(results.every((r) => r.errors === 0)).toBe(true);
    const after = openDb(data);
    try {
      expect((after.prepare("SELECT count(*) n FROM api_keys").get() as { n: number }).n).toBe(80); // 8 processes × 10 keys
      expect(verifyStoredChain(after).ok).toBe(true);
    } finally {
      after.close();
    }
  }, 60_000);
});
