// The figures' replay reads the store in batches of documents (bounded memory, issue 27): an analysis no
// batch reads — of a document that is not in the store — is still named, and a store of more documents
// than a batch holds checks out whole.
import Database from "better-sqlite3";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { submit } from "../../src/lifecycle/index.js";
import { checkStore } from "../../src/store/sqlite/check.js";
import { openDb } from "../../src/store/sqlite/db.js";
import { paperRow } from "../helpers/paper-row.js";

const paper = (n: number) => paperRow({ number: `${n}/CV` });

describe("the replay in batches", () => {
  it("checks a store of several batches whole, and names an analysis of no document", () => {
    const db = openDb(mkdtempSync(join(tmpdir(), "kyso-replay-")));
    db.transaction(() => {
      for (let i = 0; i < 1203; i++) submit(db, paper(i), "test");
    })();
    const r = checkStore(db);
    expect(r.ok, JSON.stringify(r.broken ?? r.figures?.broken)).toBe(true);
    expect(r.figures!.documents).toBe(1203);
    // written by a tool that ignores the foreign key, for a document id that does not exist
    const tool = new Database(db.name);
    tool.pragma("foreign_keys = OFF");
    tool
      .prepare(
        "INSERT INTO analyses (id, document_id, engine, trust_store, validation_time, duration_ms, report, created_at) VALUES (9999, 'no-such-document', 'x', 'x', '2024-01-01T00:00:00Z', 1, '{}', '2024-01-01T00:00:00Z')",
      )
      .run();
    tool.close();
    const broken = checkStore(db);
    // (an analysis of no document, checked after every batch)
    expect(broken.ok).toBe(false);
    expect(broken.figures!.broken).toMatchObject({ table: "analyses", row: "analysis 9999 (document no-such-document)" });
    expect(broken.figures!.broken!.reason).toMatch(/its document is not in the store/);
  });

  it("reads a document inserted by hand with an empty id, which a walk by id from '' skips", () => {
    const db = openDb(mkdtempSync(join(tmpdir(), "kyso-replay-")));
    for (let i = 0; i < 3; i++) submit(db, paper(i), "test");
    expect(checkStore(db).ok).toBe(true);
    const tool = new Database(db.name);
    // a copy of a row under the id '' (the triggers keep the rollups and counts in step with it)
    const cols = (tool.prepare("PRAGMA table_info(documents)").all() as Array<{ name: string }>).map((c) => c.name);
    tool
      .prepare(
        `INSERT INTO documents (${cols.join(", ")}) SELECT ${cols.map((c) => (c === "id" ? "''" : c === "sha256" ? "NULL" : c === "number" ? "'forged'" : c)).join(", ")} FROM documents LIMIT 1`,
      )
      .run();
    tool.close();
    const r = checkStore(db);
    expect(r.ok).toBe(false);
    expect(r.figures!.broken).toMatchObject({ table: "documents", row: "document  (forged)" });
  });
});
