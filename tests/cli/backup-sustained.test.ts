// A backup taken while documents keep arriving finishes (issue 27, point 4): another process writes to the
// store and publishes heads the whole time, and `kyso backup` completes while it still writes, with a copy
// that checks out (its heads those published before its snapshot).
// SQLite's online backup started over at each of those writes and never finished.
import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { submit, updateDirectory } from "../../src/lifecycle/index.js";
import { openDb } from "../../src/store/sqlite/db.js";
import { ROOT } from "../helpers/paths.js";

describe("kyso backup under sustained ingest", () => {
  it("finishes while another process keeps writing, and its copy checks out", async () => {
    const root = mkdtempSync(join(tmpdir(), "kyso-backup-live-"));
    const data = join(root, "data");
    const db = openDb(data);
    updateDirectory(
      db,
      [
        { code: "H53.02", name: "Sở A", parent: null, kind: "administrative" },
        { code: "H53.03", name: "Sở B", parent: null, kind: "administrative" },
      ],
      "test",
    );
    db.transaction(() => {
      for (let i = 0; i < 1000; i++)
        submit(
          db,
          {
            kind: "document",
            source: "register",
            meta: {
              sender: "H53.03",
              recipients: ["H53.02"],
              number: `${i}/BASE`,
              issuedDate: "2024-01-01",
              receivedAt: "2024-01-01T00:00:00Z",
              classification: "none",
              channel: "paper",
            },
            file: null,
          },
          "test",
        );
    })();
    db.close();
    // and 192 MB more pages (a table of its own, as a large store's would be): the online backup needs
    // ~500 of its steps, and the writer below commits between nearly every two of them
    const raw = new Database(join(data, "kyso.db"));
    raw.exec("CREATE TABLE padding (b BLOB)");
    const pad = raw.prepare("INSERT INTO padding VALUES (randomblob(1048576))");
    raw.transaction(() => {
      for (let i = 0; i < 192; i++) pad.run();
    })();
    raw.close();
    // the writer: one transaction per document, as uploads commit, for longer than a backup takes, and a
    // head published every 20 (as kyso serve does): heads published during the snapshot cover entries it
    // lacks, and a copy taking them would look cut short
    const writer = spawn(process.execPath, [join(ROOT, "tests", "helpers", "store-writer.mjs"), data, "1000000", "documents", join(data, "heads.jsonl")], {
      stdio: "ignore",
    });
    let writing = true;
    const writerDone = new Promise((r) => writer.on("exit", () => ((writing = false), r(null))));
    try {
      await new Promise((r) => setTimeout(r, 300));
      const backup = spawn(process.execPath, [join(ROOT, "bin", "kyso.js"), "backup", join(root, "copy"), "--data", data], {
        stdio: ["ignore", "pipe", "pipe"],
      });
      let out = "";
      backup.stdout!.on("data", (d) => (out += String(d)));
      backup.stderr!.on("data", (d) => (out += String(d)));
      // the online backup would still be starting over when this ends: 60 s, where the snapshot takes ~1 s
      const code = await Promise.race([
        new Promise<number | null>((resolve) => backup.on("exit", resolve)),
        new Promise<string>((r) => setTimeout(() => r("still copying after 60 s"), 60_000)),
      ]);
      backup.kill();
      expect(writing).toBe(true); // it finished while the writes went on
      expect(code, out).toBe(0);
      expect(out).toMatch(/kyso backup: .* holds the database \(log head entry \d+\)/);
    } finally {
      writer.kill();
      await writerDone;
    }
  }, 120_000);
});
