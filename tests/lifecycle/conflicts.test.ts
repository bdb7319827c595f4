// What the store cannot take as it is becomes a listed conflict (issue 23), never an error that stops the
// rest: another DocumentId with the sender, number and date of a recorded document; the file of another
// document's current version under a third DocumentId. Each is listed with the document it collides with
// (kyso reconcile, GET /api/v1/directory-gaps), not counted, and the messages after it are taken.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { submit, updateDirectory, type Submission } from "../../src/lifecycle/index.js";
import { openDb } from "../../src/store/sqlite/db.js";
import { ROOT } from "../helpers/paths.js";

const sha = (s: string) => createHash("sha256").update(s).digest("hex");
const doc = (exchangeId: string | null, number: string, fileTag: string, sender = "H53.01"): Submission => ({
  kind: "document",
  source: "edxml",
  exchangeId,
  meta: {
    sender,
    recipients: ["H53.02"],
    number,
    issuedDate: "2025-05-05",
    classification: "none",
    receivedAt: "2025-05-05T02:00:00.000Z",
    channel: "electronic",
  },
  file: { sha256: sha(fileTag), bytes: 10, kind: "not-pdf", name: `${fileTag}.doc` },
  message: {
    sha256: sha(`message ${exchangeId} ${number} ${fileTag}`),
    receivedAt: "2025-05-05T02:00:00.000Z",
    attachments: { document: `${fileTag}.doc`, annexes: [], skipped: [] },
  },
});

describe("conflicts", () => {
  it("lists what the store refuses with the document it collides with, counts it nowhere, and takes the rest", () => {
    const dir = mkdtempSync(join(tmpdir(), "kyso-conflicts-"));
    const db = openDb(dir);
    updateDirectory(
      db,
      ["H53.01", "H53.02"].map((code) => ({ code, name: code, parent: null, kind: "administrative" })),
      "test",
    );
    const a = submit(db, doc("X", "10/UBND-VP", "a"), "test");
    const sameUnit = submit(db, doc("Y", "10/UBND-VP", "b"), "test");
    const sameFile = submit(db, doc("Z", "11/UBND-VP", "a"), "test");
    const after = submit(db, doc("W", "12/UBND-VP", "c"), "test");
    expect([a.conflict, sameUnit.conflict, sameFile.conflict, after.conflict]).toEqual([undefined, true, true, undefined]);
    expect(sameUnit.note).toMatch(/conflict: .*same sender, number and issue date/);
    expect(sameFile.note).toMatch(/conflict: its file is already the current version of another document/);
    const rows = db.prepare("SELECT kind, exchange_id, with_document, reason FROM conflicts ORDER BY id").all() as Array<{
      exchange_id: string;
      with_document: string;
    }>;
    expect(rows.map((r) => [r.exchange_id, r.with_document])).toEqual([
      ["Y", a.id],
      ["Z", a.id],
    ]);
    // the same message again is the same conflict, listed once
    expect(submit(db, doc("Y", "10/UBND-VP", "b"), "test").existing).toBe(true);
    expect((db.prepare("SELECT count(*) AS n FROM conflicts").get() as { n: number }).n).toBe(2);
    // only X and W are documents, each counted once
    expect(db.prepare("SELECT exchange_id FROM documents ORDER BY exchange_id").all()).toEqual([{ exchange_id: "W" }, { exchange_id: "X" }]);
    // the log says so
    expect((db.prepare("SELECT count(*) AS n FROM audit_log WHERE action = 'conflict'").get() as { n: number }).n).toBe(2);
    db.close();
    const r = spawnSync(process.execPath, [join(ROOT, "bin", "kyso.js"), "reconcile", "--data", dir, "--json"], { encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as { conflicts: Array<{ exchange_id: string }> }).conflicts.map((c) => c.exchange_id).sort()).toEqual(["Y", "Z"]);
    const text = spawnSync(process.execPath, [join(ROOT, "bin", "kyso.js"), "reconcile", "--data", dir], { encoding: "utf8" }).stdout;
    expect(text).toMatch(/Conflicts .*: 2/);
  });
});
