// A period's document list in each sort order (issue 27, point 2; the auditors' page always asks for a
// period): a long period's pages walk the order's index (migration 23), testing the period on each entry,
// and sort nothing, first page and the next, whatever statistics SQLite holds; a short one is read by its
// period's index and sorted, a few rows. Either way every period document is listed once, in the order the
// sort promises, with the pages and cursors of the same list read without the index named.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { openDb } from "../../src/store/sqlite/db.js";
import { DOCUMENT_SORTS, type DocumentSort, listDocuments, type DocumentFilter } from "../../src/store/sqlite/document-list.js";
import { PERIOD_SORTED_PER_ROW } from "../../src/store/sqlite/document-list.js";
import type { DocumentRow } from "../../src/store/rows.js";

const SENDERS = ["H53.03", "H53.02", "H53.10", "H53.b"];
const CATEGORIES = ["signed-valid", "unsigned", "paper", null];
const FIRST_DAY = Date.UTC(2022, 0, 1);
const N = 2400;

/** A document of five years' store: its day spread over them unlike the order recorded, numbers repeating, some without one or a category. */
const row = (i: number) => {
  const day = new Date(FIRST_DAY + ((i * 7919) % 1826) * 86_400_000).toISOString().slice(0, 10);
  return {
    id: `doc-${String((i * 7) % N).padStart(5, "0")}-${i}`,
    sender: SENDERS[i % SENDERS.length]!,
    number: i % 5 === 0 ? null : `${(i * 13) % 90}/CV-${i % 2 ? "UBND" : "STC"}`,
    received_at: `${day}T${String(i % 24).padStart(2, "0")}:00:00.000Z`,
    category: CATEGORIES[i % CATEGORIES.length]!,
    period_date: day,
    created_at: new Date(Date.UTC(2027, 0, 1) + i * 1000).toISOString(),
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
const SORTS = DOCUMENT_SORTS.filter((s) => s !== "recorded");
const ORDER_INDEX = (sort: DocumentSort) => `documents_${sort.split("-")[0]}_order`;

describe("a period's document list in each sort order", () => {
  const db = openDb(mkdtempSync(join(tmpdir(), "kyso-period-sort-")));
  const put = db.prepare(
    `INSERT INTO documents (id, sender, number, received_at, channel, status, between_admin, period_date, created_at, category, agency, source)
     VALUES (@id, @sender, @number, @received_at, 'paper', 'done', 1, @period_date, @created_at, @category, @sender, 'register')`,
  );
  db.transaction(() => {
    for (let i = 0; i < N; i++) put.run(row(i));
  })();
  const all = db.prepare("SELECT * FROM documents").all() as DocumentRow[];
  const LIMIT = 20;
  // two years of the five: more documents than a page's rows times PERIOD_SORTED_PER_ROW, so walked
  const long: DocumentFilter = { from: "2023-01-01", to: "2024-12-31" };
  // a week: a few documents, read by the period's index and sorted
  const short: DocumentFilter = { from: "2024-06-10", to: "2024-06-16" };
  const inPeriod = (f: DocumentFilter) => all.filter((d) => d.period_date >= f.from! && d.period_date <= f.to!);

  /** Every page of a list, LIMIT at a time, by its cursors: the ids of each and the cursor after it. */
  const walk = (f: DocumentFilter, sort: DocumentSort) => {
    const pages: string[][] = [];
    const nexts: Array<string | null> = [];
    let cursor: string | undefined;
    do {
      const r = listDocuments(db, f, cursor, LIMIT, 10_000, sort);
      pages.push(r.page.map((d) => d.id));
      nexts.push(r.next);
      cursor = r.next ?? undefined;
    } while (cursor && pages.length < 500);
    return { pages, nexts };
  };

  /** The plans SQLite gives the list's statements (those selecting the sort's keys) while `run` runs. */
  const plansOf = (run: () => void): Array<{ sql: string; plan: string }> => {
    const plans: Array<{ sql: string; plan: string }> = [];
    const prepare = db.prepare.bind(db);
    (db as { prepare: typeof prepare }).prepare = ((sql: string) => {
      if (/sort_k0/.test(sql))
        plans.push({
          sql,
          plan: (prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...[...sql.matchAll(/\?/g)].map(() => "x")) as Array<{ detail: string }>)
            .map((r) => r.detail)
            .join(" | "),
        });
      return prepare(sql);
    }) as typeof prepare;
    try {
      run();
    } finally {
      (db as { prepare: typeof prepare }).prepare = prepare;
    }
    return plans;
  };

  it("lists each period document once, in every order either way, with the pages and cursors of the list read without the index named", () => {
    expect(inPeriod(long).length).toBeGreaterThan(PERIOD_SORTED_PER_ROW * (LIMIT + 1));
    expect(inPeriod(short).length).toBeGreaterThan(3);
    expect(inPeriod(short).length).toBeLessThan(LIMIT);
    for (const f of [long, short, { from: long.from }, { to: "2022-03-31" }])
      for (const sort of SORTS) {
        const want = all.filter((d) => (!f.from || d.period_date >= f.from) && (!f.to || d.period_date <= f.to)).sort(EXPECTED[sort]);
        const got = walk(f, sort);
        const label = `${sort} ${JSON.stringify(f)}`;
        expect(got.pages.flat(), label).toEqual(want.map((d) => d.id));
        expect(
          got.pages.map((p) => p.length),
          label,
        ).toEqual(Array.from({ length: Math.ceil(want.length / LIMIT) }, (_, i) => Math.min(LIMIT, want.length - i * LIMIT)));
        // every document is "done": with that filter beside the period the store names no index, and the planner sorts the period as before
        expect(walk({ ...f, status: "done" }, sort), label).toEqual(got);
      }
  });

  const expectWalked = (plans: Array<{ sql: string; plan: string }>) => {
    expect(plans).toHaveLength(2 * SORTS.length);
    for (const [i, { sql, plan }] of plans.entries()) {
      const sort = SORTS[Math.floor(i / 2)]!;
      // the next page starts at the cursor's keys in the index, the first at its end
      expect(plan, sql).toMatch(new RegExp(`^${i % 2 ? "SEARCH" : "SCAN"} documents USING INDEX ${ORDER_INDEX(sort)}\\b`));
      expect(plan, sql).not.toMatch(/TEMP B-TREE/);
    }
  };
  const firstAndNext = (f: DocumentFilter) => () => {
    for (const sort of SORTS) {
      const first = listDocuments(db, f, undefined, LIMIT, 10_000, sort);
      listDocuments(db, f, first.next!, LIMIT, 10_000, sort);
    }
  };

  it("walks a long period's pages along the order's index, first page and the next, sorting nothing", () => {
    expectWalked(plansOf(firstAndNext(long)));
    expectWalked(plansOf(firstAndNext({ from: long.from })));
  });

  it("reads a short period by its period's index and sorts only its documents", () => {
    const plans = plansOf(() => {
      for (const sort of SORTS) listDocuments(db, short, undefined, LIMIT, 10_000, sort);
    });
    expect(plans).toHaveLength(SORTS.length);
    for (const { sql, plan } of plans)
      expect(plan, sql).toMatch(/^SEARCH documents USING INDEX documents_period_recorded \(period_date>\? AND period_date<\?\)/);
  });

  it("keeps those plans when the store holds statistics (ANALYZE), which would otherwise change SQLite's guesses", () => {
    db.exec("ANALYZE");
    expect((db.prepare("SELECT count(*) n FROM sqlite_stat1 WHERE idx = 'documents_sender_order'").get() as { n: number }).n).toBe(1);
    expectWalked(plansOf(firstAndNext(long)));
    for (const sort of SORTS)
      expect(walk(long, sort).pages.flat(), sort).toEqual(
        inPeriod(long)
          .sort(EXPECTED[sort])
          .map((d) => d.id),
      );
  });
});
