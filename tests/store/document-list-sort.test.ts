// The document list's sort orders (issue 25, point 4): pages in the order asked over the whole list, a
// second page continuing where the first stopped (ties broken by id), a cursor of another order refused,
// and each order walked along its index: the planner sorts no table for it.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { submit } from "../../src/lifecycle/index.js";
import { openDb } from "../../src/store/sqlite/db.js";
import { DOCUMENT_SORTS, type DocumentSort, listDocuments, SortCursorError } from "../../src/store/sqlite/document-list.js";
import type { DocumentRow } from "../../src/store/rows.js";

const SENDERS = ["H53.03", "H53.02", "H53.10"];
const paper = (i: number) => {
  const day = `2024-${String(1 + (i % 12)).padStart(2, "0")}-${String(1 + ((i * 7) % 28)).padStart(2, "0")}`;
  // every fifth document has no number; numbers repeat so that ties are broken by the id
  const number = i % 5 === 0 ? undefined : `${(i * 13) % 40}/CV-${i % 2 ? "UBND" : "STC"}`;
  return {
    kind: "document" as const,
    source: "register" as const,
    meta: {
      sender: SENDERS[i % 3]!,
      recipients: ["H53.01"],
      ...(number ? { number } : {}),
      issuedDate: day,
      subject: `Công văn ${i}`,
      receivedAt: `${day}T0${i % 10}:00:00Z`,
      classification: "none" as const,
      channel: "paper" as const,
    },
    file: null,
  };
};

/** The order each sort promises, computed here from the rows as a reader would. */
const lead = (n: string | null) => Number(/^\d+/.exec(n ?? "")?.[0] ?? 0);
const byKeys = (keys: (d: DocumentRow) => Array<string | number>, desc: boolean) => (a: DocumentRow, b: DocumentRow) => {
  const x = [...keys(a), a.id],
    y = [...keys(b), b.id];
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return (x[i]! < y[i]! ? -1 : 1) * (desc ? -1 : 1);
  return 0;
};
const EXPECTED: Record<Exclude<DocumentSort, "recorded">, (a: DocumentRow, b: DocumentRow) => number> = {
  "received-desc": byKeys((d) => [d.received_at], true),
  "received-asc": byKeys((d) => [d.received_at], false),
  number: byKeys((d) => [lead(d.number), d.number ?? ""], false),
  "number-desc": byKeys((d) => [lead(d.number), d.number ?? ""], true),
  sender: byKeys((d) => [d.sender], false),
  "sender-desc": byKeys((d) => [d.sender], true),
  category: byKeys((d) => [d.category ?? ""], false),
  "category-desc": byKeys((d) => [d.category ?? ""], true),
};

describe("the document list's sort orders", () => {
  const db = openDb(mkdtempSync(join(tmpdir(), "kyso-sort-")));
  for (let i = 0; i < 60; i++) submit(db, paper(i), "test");
  const all = listDocuments(db, {}, undefined, 500).page;

  /** Every page of a sort, 7 at a time, by its cursors. */
  const pages = (sort: DocumentSort, f = {}) => {
    const out: DocumentRow[][] = [];
    let cursor: string | undefined;
    do {
      const r = listDocuments(db, f, cursor, 7, 10_000, sort);
      out.push(r.page);
      cursor = r.next ?? undefined;
    } while (cursor && out.length < 50);
    return out;
  };

  it("pages every order over the whole list, a next page continuing the order", () => {
    expect(all).toHaveLength(60);
    for (const [sort, cmp] of Object.entries(EXPECTED)) {
      const got = pages(sort as DocumentSort);
      expect(
        got.flat().map((d) => d.id),
        sort,
      ).toEqual([...all].sort(cmp).map((d) => d.id));
      expect(got).toHaveLength(9);
    }
    // the number's leading figure first: 3/… before 12/…
    const numbers = pages("number")
      .flat()
      .map((d) => d.number)
      .filter(Boolean);
    expect(numbers.findIndex((n) => n!.startsWith("3/"))).toBeLessThan(numbers.findIndex((n) => n!.startsWith("12/")));
    expect(numbers.some((n) => n!.startsWith("3/"))).toBe(true);
  });

  it("keeps the filters and their total with a sort, and each page without a sort key in it", () => {
    const first = listDocuments(db, { senders: ["H53.03", "H53.10"] }, undefined, 7, 10_000, "number");
    expect(first.total).toEqual({ count: 40, exact: true });
    expect(Object.keys(first.page[0]!).some((k) => k.startsWith("sort_k"))).toBe(false);
    const rest = pages("number", { senders: ["H53.03", "H53.10"] }).flat();
    expect(rest.map((d) => d.id)).toEqual(
      all
        .filter((d) => d.sender !== "H53.02")
        .sort(EXPECTED.number)
        .map((d) => d.id),
    );
    expect(listDocuments(db, { senders: ["H53.03"] }, first.next!, 7, 10_000, "number").total).toBeNull();
    // words in the subject, sorted by the sender
    const words = pages("sender", { q: "công văn" }).flat();
    expect(words.map((d) => d.id)).toEqual([...all].sort(EXPECTED.sender).map((d) => d.id));
  });

  it("pages numbers past 2^53 by every digit (a cursor read as a double repeated a page forever)", () => {
    const big = openDb(mkdtempSync(join(tmpdir(), "kyso-sort-big-")));
    for (let i = 0; i < 12; i++) submit(big, { ...paper(i), meta: { ...paper(i).meta, number: `9007199254740993/X${String(i).padStart(2, "0")}` } }, "test");
    for (const sort of ["number", "number-desc"] as const) {
      const seen: string[] = [];
      let cursor: string | undefined;
      let pagesRead = 0;
      do {
        const r = listDocuments(big, {}, cursor, 5, 10_000, sort);
        seen.push(...r.page.map((d) => d.number!));
        cursor = r.next ?? undefined;
      } while (cursor && ++pagesRead < 10);
      expect(seen, sort).toHaveLength(12);
      expect(new Set(seen).size, sort).toBe(12);
    }
  });

  it("refuses a cursor of another order instead of reading it as this one's", () => {
    const byNumber = listDocuments(db, {}, undefined, 7, 10_000, "number").next!;
    const recorded = listDocuments(db, {}, undefined, 7).next!;
    expect(() => listDocuments(db, {}, byNumber, 7, 10_000, "sender")).toThrow(SortCursorError);
    expect(() => listDocuments(db, {}, recorded, 7, 10_000, "number")).toThrow(SortCursorError);
  });

  it("walks each order along its index, first page and the next, without sorting the table", () => {
    const plans = new Map<string, string[]>();
    const prepare = db.prepare.bind(db);
    (db as { prepare: typeof prepare }).prepare = ((sql: string) => {
      if (/ORDER BY/.test(sql) && /sort_k0/.test(sql) && !/MATCH/.test(sql))
        plans.set(
          sql,
          (prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...[...sql.matchAll(/\?/g)].map(() => "x")) as Array<{ detail: string }>).map((r) => r.detail),
        );
      return prepare(sql);
    }) as typeof prepare;
    try {
      for (const sort of DOCUMENT_SORTS.filter((s) => s !== "recorded")) {
        const first = listDocuments(db, {}, undefined, 7, 10_000, sort);
        listDocuments(db, {}, first.next!, 7, 10_000, sort);
      }
    } finally {
      (db as { prepare: typeof prepare }).prepare = prepare;
    }
    expect(plans.size).toBe(16);
    for (const [sql, plan] of plans) {
      const text = plan.join(" | ");
      expect(text, sql).toMatch(/USING (COVERING )?INDEX documents_(received|number|sender|category)_order/);
      expect(text, sql).not.toMatch(/TEMP B-TREE/);
    }
  });
});
