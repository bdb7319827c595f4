// Words in the document list found through the trigram text index (issue 27, point 2): the same answers as
// the folded substring search it replaces (Vietnamese case, NFC and NFD, numbers with their slashes, words
// of one or two letters), newest recorded first by walking the index backwards, kept up to date when a document's number or subject changes, and neither plan scans the table.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { submit } from "../../src/lifecycle/index.js";
import { openDb } from "../../src/store/sqlite/db.js";
import { listDocuments } from "../../src/store/sqlite/document-list.js";
import { paperRow } from "../helpers/paper-row.js";

const paper = (number: string, subject: string, day = "2024-01-01") => paperRow({ number, subject, day });

describe("the document list's text search", () => {
  const db = openDb(mkdtempSync(join(tmpdir(), "kyso-text-")));
  submit(db, paper("123/QĐ-UBND", "Quyết định về việc phê duyệt kế hoạch"), "test");
  submit(db, paper("45/CV-STC", "Công văn về ngân sách Đà Nẵng"), "test");
  // decomposed (NFD) as some document systems send it
  submit(db, paper("7/TB-SNV", "Thông báo tuyển dụng".normalize("NFD")), "test");
  for (let i = 0; i < 2100; i++) submit(db, paper(`${i}/BC-X`, `Báo cáo định kỳ số ${i}`, `2024-02-${String(1 + (i % 28)).padStart(2, "0")}`), "test");
  const numbers = (q: string, limit = 50) => listDocuments(db, { q }, undefined, limit).page.map((d) => d.number);

  it("finds words anywhere in the number or subject, in any case and either Unicode form", () => {
    expect(numbers("QUYẾT")).toEqual(["123/QĐ-UBND"]);
    expect(numbers("qđ-ubnd")).toEqual(["123/QĐ-UBND"]);
    expect(numbers("đà nẴng")).toEqual(["45/CV-STC"]);
    expect(numbers("tuyển".normalize("NFD"))).toEqual(["7/TB-SNV"]);
    expect(numbers("tuyển dụng")).toEqual(["7/TB-SNV"]);
    // every word must appear: one missing word leaves nothing
    expect(numbers("quyết ngân")).toEqual([]);
    // a word of two letters has no trigram: still found, beside a word that has
    expect(numbers("về kế")).toEqual(["123/QĐ-UBND"]);
    const two = numbers("45", 500);
    expect(two).toContain("45/CV-STC");
    expect(two.every((n) => n!.includes("45"))).toBe(true);
    expect(two).toHaveLength(
      1 + 2100 - 2100 + [...Array(2100).keys()].filter((i) => String(i).includes("45") || `Báo cáo định kỳ số ${i}`.includes("45")).length,
    );
    // LIKE's wildcards are letters here
    expect(numbers("%")).toEqual([]);
    expect(numbers('"quyết"')).toEqual([]);
  });

  it("pages a common word newest first along the date index, as it pages the unfiltered list", () => {
    const first = listDocuments(db, { q: "báo cáo" }, undefined, 100);
    expect(first.page).toHaveLength(100);
    expect(first.page.every((d) => d.subject?.startsWith("Báo cáo"))).toBe(true);
    const second = listDocuments(db, { q: "báo cáo" }, first.next!, 100);
    const all = [...first.page, ...second.page];
    // newest recorded first: the numbers were recorded in order, 2099 last
    expect(all.map((d) => d.number)).toEqual([...Array(200).keys()].map((i) => `${2099 - i}/BC-X`));
    expect(all.map((d) => d.created_at)).toEqual(
      all
        .map((d) => d.created_at)
        .sort()
        .reverse(),
    );
    // a rarer word of the same documents (few matches: read from the index) gives the same order
    const rare = listDocuments(db, { q: "số 2099" }, undefined, 10).page.map((d) => d.number);
    expect(rare).toEqual(["2099/BC-X"]);
  });

  it("follows a number or subject changed after the document was recorded", () => {
    const id = listDocuments(db, { q: "phê duyệt" }, undefined, 5).page[0]!.id;
    db.prepare("UPDATE documents SET subject = ? WHERE id = ?").run("Quyết định điều chỉnh", id);
    expect(numbers("phê duyệt")).toEqual([]);
    expect(numbers("điều chỉnh")).toEqual(["123/QĐ-UBND"]);
  });

  it("stays writable by a SQLite tool that knows nothing of kyso's functions, the index following", () => {
    const id = listDocuments(db, { q: "ngân sách" }, undefined, 5).page[0]!.id;
    const tool = new Database(db.name);
    try {
      tool.prepare("UPDATE documents SET subject = ? WHERE id = ?").run("Công văn về BIÊN CHẾ", id);
    } finally {
      tool.close();
    }
    expect(numbers("biên chế")).toEqual(["45/CV-STC"]);
    expect(numbers("ngân sách")).toEqual([]);
  });

  it("reads neither plan by scanning the documents table", () => {
    const plans: string[] = [];
    const prepare = db.prepare.bind(db);
    (db as { prepare: typeof prepare }).prepare = ((sql: string) => {
      if (/CROSS JOIN documents/.test(sql) && /MATCH/.test(sql) && /ORDER BY/.test(sql))
        plans.push(
          (prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...[...sql.matchAll(/\?/g)].map(() => "x")) as Array<{ detail: string }>).map((r) => r.detail).join(" | "),
        );
      return prepare(sql);
    }) as typeof prepare;
    try {
      numbers("báo cáo");
      numbers("2099");
    } finally {
      (db as { prepare: typeof prepare }).prepare = prepare;
    }
    expect(plans).toHaveLength(2);
    for (const p of plans) {
      // the text index drives, walked newest first: no scan of the documents and no sort of the matches
      expect(p).toMatch(/^SCAN f VIRTUAL TABLE/);
      expect(p).not.toMatch(/SCAN documents|TEMP B-TREE/);
      expect(p).toMatch(/SEARCH documents USING (PRIMARY KEY|INDEX sqlite_autoindex)/);
    }
  });
});

describe("the document list's total", () => {
  const db = openDb(mkdtempSync(join(tmpdir(), "kyso-total-")));
  for (let i = 0; i < 30; i++) submit(db, paper(`${i}/T`, i % 3 ? "Tờ trình" : "Kế hoạch năm"), "test");

  it("says the total on the first page only: from the kept counts, or counted", () => {
    const all = listDocuments(db, {}, undefined, 7);
    expect(all.total).toEqual({ count: 30, exact: true });
    expect(listDocuments(db, {}, all.next!, 7).total).toBeNull();
    expect(listDocuments(db, { status: "paper" }, undefined, 7).total).toEqual({ count: 30, exact: true });
    expect(listDocuments(db, { status: "queued" }, undefined, 7).total).toEqual({ count: 0, exact: true });
    // paper documents naming agencies the directory lacks are held: the counts' "held" bucket, which a
    // category filter never lists (category = 'held' matches nothing), so it is counted, not read from the bucket
    expect(listDocuments(db, { category: "held" }, undefined, 7)).toMatchObject({ page: [], total: { count: 0, exact: true } });
    expect(listDocuments(db, { q: "kế hoạch" }, undefined, 3).total).toEqual({ count: 10, exact: true });
    expect(listDocuments(db, { q: "tờ", sender: "H53.03" }, undefined, 3).total).toEqual({ count: 20, exact: true });
  });

  it("stops counting at its bound and says the total is at least that", () => {
    expect(listDocuments(db, { sender: "H53.03" }, undefined, 5, 12).total).toEqual({ count: 12, exact: false });
    expect(listDocuments(db, { sender: "H53.03" }, undefined, 5, 30).total).toEqual({ count: 30, exact: true });
  });
});
