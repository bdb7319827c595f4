// A period's document list (issue 27, point 2; the auditors' page always asks for one): newest by the
// document's date, then as recorded, read backwards along (period_date, created_at, id) from the period's
// last day, a next page continuing by its cursor, and no sort of the period's documents for any page.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { submit } from "../../src/lifecycle/index.js";
import { openDb } from "../../src/store/sqlite/db.js";
import { listDocuments, SortCursorError } from "../../src/store/sqlite/document-list.js";
import { paperRow } from "../helpers/paper-row.js";

const paper = (i: number) => {
  const day = `2024-${String(1 + (i % 12)).padStart(2, "0")}-${String(1 + ((i * 5) % 28)).padStart(2, "0")}`;
  return paperRow({ number: `${i}/CV`, day, receivedAt: `${day}T08:00:00Z` });
};

describe("a period's document list", () => {
  const db = openDb(mkdtempSync(join(tmpdir(), "kyso-period-list-")));
  for (let i = 0; i < 90; i++) submit(db, paper(i), "test");
  const period = { from: "2024-03-01", to: "2024-08-31" };

  it("pages the period newest by date, then as recorded, a next page continuing", () => {
    const seen = [];
    let cursor: string | undefined;
    do {
      const r = listDocuments(db, period, cursor, 7);
      seen.push(...r.page);
      cursor = r.next ?? undefined;
    } while (cursor);
    const want = (
      db
        .prepare("SELECT id FROM documents WHERE period_date BETWEEN ? AND ? ORDER BY period_date DESC, created_at DESC, id DESC")
        .all(period.from, period.to) as Array<{ id: string }>
    ).map((r) => r.id);
    expect(want.length).toBeGreaterThan(30);
    expect(seen.map((d) => d.id)).toEqual(want);
    // a cursor of the list without a period is not one of this list's
    const plain = listDocuments(db, {}, undefined, 7).next!;
    expect(() => listDocuments(db, period, plain, 7)).toThrow(SortCursorError);
  });

  it("reads each page along its index, without sorting the period's documents", () => {
    const plans: string[] = [];
    const prepare = db.prepare.bind(db);
    (db as { prepare: typeof prepare }).prepare = ((sql: string) => {
      if (/ORDER BY period_date DESC/.test(sql))
        plans.push(
          (prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...[...sql.matchAll(/\?/g)].map(() => "x")) as Array<{ detail: string }>).map((r) => r.detail).join(" | "),
        );
      return prepare(sql);
    }) as typeof prepare;
    try {
      const first = listDocuments(db, period, undefined, 7);
      listDocuments(db, period, first.next!, 7);
      listDocuments(db, { from: period.from }, undefined, 7);
    } finally {
      (db as { prepare: typeof prepare }).prepare = prepare;
    }
    expect(plans).toHaveLength(3);
    for (const p of plans) {
      expect(p).toMatch(/documents_period_recorded/);
      expect(p).not.toMatch(/TEMP B-TREE/);
    }
  });
});
