// The document list filtered by recipient (issue 27, point 2): a rare recipient's documents read through
// their deliveries' index and sorted, a common one's by walking the list's order; the total counted through
// the deliveries' index either way, never by probing every document of the store. Same pages both ways.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { submit, updateDirectory } from "../../src/lifecycle/index.js";
import { openDb, type Db } from "../../src/store/sqlite/db.js";
import { listDocuments } from "../../src/store/sqlite/document-list.js";

const admin = (code: string) => ({ code, name: `Cơ quan ${code}`, parent: null, kind: "administrative" as const });
let db: Db;

/** The SELECTs `run` prepares, each with its plan. */
function statementsOf<T>(run: () => T): { value: T; plans: Array<{ sql: string; plan: string }> } {
  const prepare = db.prepare.bind(db);
  const seen: string[] = [];
  (db as { prepare: typeof prepare }).prepare = ((sql: string) => (seen.push(sql), prepare(sql))) as typeof prepare;
  let value: T;
  try {
    value = run();
  } finally {
    (db as { prepare: typeof prepare }).prepare = prepare;
  }
  const args = (sql: string) => [...sql.matchAll(/\?/g)].map(() => "x");
  return {
    value,
    plans: seen
      .filter((s) => /^\s*SELECT/i.test(s))
      .map((sql) => ({ sql, plan: (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...args(sql)) as Array<{ detail: string }>).map((r) => r.detail).join(" | ") })),
  };
}

/** Every page of the recipient's list, by cursor: the ids in order. */
function walk(recipient: string, limit: number): string[] {
  const ids: string[] = [];
  for (let cursor: string | undefined; ;) {
    const p = listDocuments(db, { recipient }, cursor, limit);
    ids.push(...p.page.map((d) => d.id));
    if (!p.next) return ids;
    cursor = p.next;
  }
}

beforeAll(() => {
  db = openDb(mkdtempSync(join(tmpdir(), "kyso-list-recipient-")));
  updateDirectory(db, [admin("H53.01"), admin("H53.02"), admin("H53.99")], "test");
  db.transaction(() => {
    for (let i = 0; i < 3000; i++)
      submit(
        db,
        {
          kind: "document",
          source: "register",
          meta: {
            sender: "H53.02",
            // one document in a hundred goes to H53.99 as well: a rare recipient; every one to H53.01
            recipients: i % 100 === 7 ? ["H53.01", "H53.99"] : ["H53.01"],
            number: `${i}/R`,
            issuedDate: "2024-04-01",
            receivedAt: "2024-04-01T08:00:00Z",
            classification: "none",
            channel: "paper",
          },
          file: null,
        },
        "test",
      );
  })();
});

describe("the list of one recipient's documents", () => {
  it("reads a rare recipient's documents through the deliveries' index, and counts them there", () => {
    const { value: page, plans } = statementsOf(() => listDocuments(db, { recipient: "H53.99" }, undefined, 10));
    expect(page.total).toEqual({ count: 30, exact: true });
    const list = plans.find((p) => /ORDER BY created_at DESC/.test(p.sql))!;
    expect(list.plan).toMatch(/deliveries_recipient/);
    expect(list.plan).not.toMatch(/SCAN documents/);
    const count = plans.find((p) => /SELECT count\(\*\) AS n FROM \(SELECT 1 FROM documents/.test(p.sql))!;
    expect(count.plan).toMatch(/deliveries_recipient/);
    expect(count.plan).not.toMatch(/SCAN documents/);
    // newest first, each once, page after page
    const want = (
      db
        .prepare(
          "SELECT id FROM documents d WHERE EXISTS (SELECT 1 FROM deliveries v WHERE v.document_id = d.id AND v.recipient = 'H53.99') ORDER BY created_at DESC, id DESC",
        )
        .all() as Array<{ id: string }>
    ).map((r) => r.id);
    expect(walk("H53.99", 7)).toEqual(want);
  });

  it("walks the list's order for a common recipient, and still counts through the deliveries' index", () => {
    const { value: page, plans } = statementsOf(() => listDocuments(db, { recipient: "H53.01" }, undefined, 10));
    expect(page.page).toHaveLength(10);
    const list = plans.find((p) => /ORDER BY created_at DESC/.test(p.sql))!;
    expect(list.plan).toMatch(/documents_created/);
    expect(list.plan).not.toMatch(/TEMP B-TREE/);
    const count = plans.find((p) => /SELECT count\(\*\) AS n FROM \(SELECT 1 FROM documents/.test(p.sql))!;
    expect(count.plan).toMatch(/deliveries_recipient/);
    expect(page.total?.count).toBe(3000);
    const all = walk("H53.01", 500);
    expect(all).toHaveLength(3000);
    expect(new Set(all).size).toBe(3000);
  });
});
