// What the API reads of documents, on every backend: the same rows give the same pages of the document list
// for each filter, text query and sort order, its cursors walk every matching document once, in the order
// the sort promises (text compared bytewise, a number by its leading integer), its totals are those counted
// here (or "at least" past the bound); one document reads back with its recipients, events and latest
// analysis. The expected pages are computed here from the rows alone, and each backend's are compared with
// the others'.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DOCUMENT_SORTS, type DocumentSort, SortCursorError } from "../../../src/store/document-list/sorts.js";
import type { DocumentFilter } from "../../../src/store/document-list/query.js";
import type { DocumentReads } from "../../../src/store/ports.js";
import type { DocumentRow } from "../../../src/store/rows.js";
import { BACKENDS, OTHER_LOCALES } from "./backends.js";

type Row = Record<string, unknown> & { id: string };

const SENDERS = ["000.00.01.H53", "000.00.10.H53", "000.00.02.H53", "H53.b", "H53.B", "H53.é"];
// leading integers as SQLite reads them: blanks and a sign, "2" before "10", none as 0, past 64 bits clamped
const NUMBERS = ["2/UBND", "10/UBND", null, "abc", "  7/QĐ", "-5/CV", "99999999999999999999/TB", "0012/QĐ-UBND", "1e5/KH", "+3/BC", "Số 45", "45/CV-STC"];
const NFD = "Thông báo tuyển dụng viên chức".normalize("NFD");
const SUBJECTS = [
  "Báo cáo tổng kết công tác năm",
  "BÁO CÁO TÌNH HÌNH KINH TẾ",
  NFD,
  "Ủy ban nhân dân tỉnh về kế hoạch",
  "Công văn về ngân sách Đà Nẵng",
  "Quyết định phê duyệt 100% vốn_đầu tư",
  null,
  "Tờ trình về việc mua sắm",
];
const CATS = ["signed-valid", "signed-valid-not-sender", "unsigned", "paper", null] as const;
const DAYS = ["2025-01-03", "2025-01-15", "2025-02-01", "2025-02-20", "2025-03-05", "2025-03-31"];

/** 140 documents written in an order that is not their recorded times' (ties of times broken by the id). */
function facts(): { rows: Array<[string, Record<string, unknown>]>; docs: Row[] } {
  const rows: Array<[string, Record<string, unknown>]> = [];
  const docs: Row[] = [];
  let s = 11;
  const rand = () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32;
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  for (let i = 0; i < 140; i++) {
    const id = `doc-${String((i * 37) % 140).padStart(3, "0")}`;
    const sender = pick(SENDERS);
    const held = i % 17 === 0 ? "revoked" : i % 23 === 0 ? "directory-gap" : null;
    const category = held ? null : pick(CATS);
    const status = category === "paper" ? "paper" : category === null && !held ? pick(["queued", "failed"]) : "done";
    const binding = category?.startsWith("signed-valid")
      ? JSON.stringify({ status: category === "signed-valid" ? "sender" : "another-agency", agency: category === "signed-valid" ? sender : SENDERS[0] })
      : null;
    const day = pick(DAYS);
    const doc: Row = {
      id,
      sha256: null,
      bytes: null,
      sender,
      number: pick(NUMBERS),
      // one document per sender, number and date (the store's unit of a document)
      issued_date: `2024-${String(1 + (i % 12)).padStart(2, "0")}-${String(1 + Math.floor(i / 12)).padStart(2, "0")}`,
      subject: pick(SUBJECTS),
      classification: "none",
      received_at: `${day}T0${Math.floor(rand() * 4)}:00:00.000Z`,
      channel: category === "paper" ? "paper" : "electronic",
      status,
      between_admin: 1,
      verdict: category === "signed-valid" ? "valid" : category === "unsigned" ? "unsigned" : null,
      category,
      counts: category === "signed-valid" ? 1 : 0,
      period_date: day,
      created_at: new Date(Date.UTC(2025, 3, 1) + Math.floor(rand() * 60) * 3_600_000).toISOString(),
      agency: i % 11 === 0 ? SENDERS[1]! : sender,
      held,
      signer_binding: binding,
    };
    docs.push(doc);
    rows.push(["documents", doc]);
    for (const to of i % 3 === 0 ? ["H53.b", "H53.B", "000.00.09.H53"] : [SENDERS[(i + 1) % SENDERS.length]!])
      if (to !== sender) rows.push(["deliveries", { document_id: id, recipient: to }]);
  }
  // one document's analyses and events, the later written with the earlier times: "latest" and "in order" are the order written
  const first = docs[0]!.id;
  for (const [v, at] of [
    [1, "2025-04-02T00:00:00.000Z"],
    [2, "2025-04-01T00:00:00.000Z"],
  ] as const)
    rows.push([
      "analyses",
      { document_id: first, engine: "kyso", trust_store: "t", validation_time: at, duration_ms: 1.5, report: `{"v":${v}}`, created_at: at },
    ]);
  for (const [kind, at] of [
    ["status", "2025-04-02T00:00:00.000Z"],
    ["revocation", "2025-04-01T00:00:00.000Z"],
  ])
    rows.push([
      "document_events",
      { document_id: first, kind, code: "03", description: "Đã nhận", at, source: "edxml", source_key: `k-${kind}`, details: "{}", created_at: at },
    ]);
  return { rows, docs };
}

// the orders, as a reader computes them from the rows
const bytes = (a: unknown, b: unknown): number => Buffer.compare(Buffer.from(String(a ?? "")), Buffer.from(String(b ?? "")));
const lead = (n: unknown): bigint => {
  const m = /^[ \t\n\v\f\r]*([+-]?\d+)/.exec(String(n ?? ""));
  const v = m ? BigInt(m[1]!) : 0n;
  const [lo, hi] = [-(2n ** 63n), 2n ** 63n - 1n];
  return v < lo ? lo : v > hi ? hi : v;
};
type Cmp = (a: Row, b: Row) => number;
const by =
  (...cmps: Cmp[]): Cmp =>
  (a, b) => {
    for (const c of cmps) if (c(a, b)) return c(a, b);
    return 0;
  };
const text =
  (k: string): Cmp =>
  (a, b) =>
    bytes(a[k], b[k]);
const desc =
  (c: Cmp): Cmp =>
  (a, b) =>
    -c(a, b);
const byLead: Cmp = (a, b) => (lead(a.number) < lead(b.number) ? -1 : lead(a.number) > lead(b.number) ? 1 : 0);
const SORTED: Record<Exclude<DocumentSort, "recorded">, Cmp> = {
  "received-desc": desc(by(text("received_at"), text("id"))),
  "received-asc": by(text("received_at"), text("id")),
  number: by(byLead, text("number"), text("id")),
  "number-desc": desc(by(byLead, text("number"), text("id"))),
  sender: by(text("sender"), text("id")),
  "sender-desc": desc(by(text("sender"), text("id"))),
  category: by(text("category"), text("id")),
  "category-desc": desc(by(text("category"), text("id"))),
};

/** A query's words as the list reads them, each in the number or subject folded to composed lower case. */
const words = (q: string) => q.normalize("NFC").toLocaleLowerCase("vi").split(/\s+/).filter(Boolean);
const matches = (d: Row, q: string) => {
  const t = `${d.number ?? ""}\n${d.subject ?? ""}`.normalize("NFC").toLocaleLowerCase("vi");
  return words(q).every((w) => t.includes(w));
};

/** Whether a document is in the list a filter asks for, read from its row and deliveries. */
function admits(f: DocumentFilter, d: Row, recipients: Map<string, string[]>): boolean {
  const binding = d.signer_binding ? (JSON.parse(d.signer_binding as string) as { status: string; agency: string }) : null;
  return (
    (["status", "category", "verdict", "sender", "agency", "held"] as const).every((k) => !f[k] || d[k] === f[k]) &&
    (!f.senders || f.senders.includes(d.sender as string)) &&
    (!f.recipient || (recipients.get(d.id) ?? []).includes(f.recipient)) &&
    (!f.binding || binding?.status === f.binding) &&
    (!f.sealedBy || binding?.agency === f.sealedBy) &&
    (!f.from || (d.period_date as string) >= f.from) &&
    (!f.to || (d.period_date as string) <= f.to) &&
    (!f.q || matches(d, f.q))
  );
}

const FILTERS: DocumentFilter[] = [
  {},
  { status: "done" },
  { category: "signed-valid" },
  { status: "done", category: "unsigned" },
  { category: "pending" },
  { verdict: "valid" },
  { sender: "H53.B" },
  { senders: ["H53.b", "H53.é", "000.00.10.H53"] },
  { agency: SENDERS[1] },
  { held: "revoked" },
  { recipient: "H53.B" },
  { binding: "another-agency" },
  { sealedBy: SENDERS[0] },
  { from: "2025-01-15", to: "2025-03-05" },
  { from: "2025-02-20" },
  { to: "2025-02-01", sender: "H53.é" },
];
// Vietnamese with its marks, in either case and Unicode form; inside a word; words of one or two letters;
// LIKE's wildcards as letters; no answer without the marks
const QUERIES = ["báo cáo", "BÁO", "tuyển dụng", "tuyển".normalize("NFD"), "hân dâ", "ủy BAN kế", "đà nẴng", "tờ", "45", "100%", "vốn_đầu", "qđ", "bao cao"];

// PostgreSQL in other collations too: the order and the folding are kyso's, not the database's
for (const backend of [...BACKENDS, ...OTHER_LOCALES]) {
  describe.skipIf(!backend.available)(`the document reads on ${backend.label}`, () => {
    beforeAll(() => backend.setup(), 60_000);
    afterAll(() => backend.teardown());

    const { rows, docs } = facts();
    const recipients = new Map<string, string[]>();
    for (const [t, r] of rows)
      if (t === "deliveries") recipients.set(r.document_id as string, [...(recipients.get(r.document_id as string) ?? []), r.recipient as string]);
    let reads: DocumentReads;
    beforeAll(async () => {
      const store = await backend.open();
      await store.seedRows(rows);
      reads = await store.documentReads();
    });

    /** Every page of a list, `limit` at a time, by its cursors: the ids of each and the first page's total. */
    async function walk(filter: DocumentFilter, sort: DocumentSort, limit = 7) {
      const pages: DocumentRow[][] = [];
      const first = await reads.list({ filter, sort, limit });
      let page = first;
      pages.push(page.page);
      while (page.next) {
        page = await reads.list({ filter, sort, cursor: page.next, limit });
        expect(page.total).toBeNull();
        pages.push(page.page);
      }
      return { pages, total: first.total, ids: pages.flat().map((d) => d.id) };
    }

    const results: Record<string, unknown> = {};

    it("walks each filter's list newest recorded first (a period's by its date), every document once, with its total", async () => {
      for (const f of FILTERS) {
        const want = docs.filter((d) => admits(f, d, recipients));
        const order = f.from || f.to ? desc(by(text("period_date"), text("created_at"), text("id"))) : desc(by(text("created_at"), text("id")));
        const got = await walk(f, "recorded");
        // (no document has the category "pending": the counts' place of those without one, never a category)
        expect(want.length > 0 || f.category === "pending", JSON.stringify(f)).toBe(true);
        expect(got.ids, JSON.stringify(f)).toEqual([...want].sort(order).map((d) => d.id));
        expect(got.total, JSON.stringify(f)).toEqual({ count: want.length, exact: true });
        results[`recorded ${JSON.stringify(f)}`] = got;
      }
    });

    it("walks each sort order over the list and over a filter, ties broken by the id", async () => {
      for (const sort of DOCUMENT_SORTS.filter((x) => x !== "recorded"))
        for (const f of [{}, { status: "done" }, { from: "2025-01-15", to: "2025-03-05" }, { q: "báo" }] as DocumentFilter[]) {
          const want = docs.filter((d) => admits(f, d, recipients)).sort(SORTED[sort]);
          const got = await walk(f, sort, 9);
          expect(got.ids, `${sort} ${JSON.stringify(f)}`).toEqual(want.map((d) => d.id));
          expect(got.total?.count).toBe(want.length);
          results[`${sort} ${JSON.stringify(f)}`] = got;
        }
    });

    it("finds words in the number or subject, with their marks, in any case or form, inside a word, newest recorded first", async () => {
      const written = new Map(docs.map((d, i) => [d.id, i]));
      for (const q of QUERIES) {
        const want = docs.filter((d) => matches(d, q));
        const got = await walk({ q }, "recorded", 5);
        // a search's pages follow the order documents were written (recorded), not their stated times
        expect(got.ids, q).toEqual(want.map((d) => d.id).reverse());
        expect(got.total, q).toEqual({ count: want.length, exact: true });
        expect([...got.ids].sort((a, b) => written.get(b)! - written.get(a)!)).toEqual(got.ids);
        results[`q ${q}`] = got;
      }
      // what the queries must find, said here so a wrong rule above cannot make both sides agree on nothing
      const count = async (q: string) => (await reads.list({ filter: { q }, limit: 500 })).page.length;
      const subjects = (s: string) => docs.filter((d) => d.subject === s).length;
      expect(await count("tuyển dụng")).toBe(subjects(NFD));
      expect(await count("tuyển".normalize("NFD"))).toBe(subjects(NFD));
      expect(await count("hân dâ")).toBe(subjects("Ủy ban nhân dân tỉnh về kế hoạch"));
      expect(await count("BÁO")).toBe(subjects("Báo cáo tổng kết công tác năm") + subjects("BÁO CÁO TÌNH HÌNH KINH TẾ") + subjects(NFD));
      expect(await count("100%")).toBe(subjects("Quyết định phê duyệt 100% vốn_đầu tư"));
      expect(await count("bao cao")).toBe(0);
      expect(await count("0%v")).toBe(0);
      // with a filter and a period, and counted
      for (const f of [{ q: "báo", sender: "H53.B" }, { q: "về", from: "2025-02-01", to: "2025-03-31" }, { q: "ủy tờ" }] as DocumentFilter[]) {
        const want = docs.filter((d) => admits(f, d, recipients));
        const got = await walk(f, "recorded", 4);
        expect(got.ids.sort(), JSON.stringify(f)).toEqual(want.map((d) => d.id).sort());
        expect(got.total?.count, JSON.stringify(f)).toBe(want.length);
        results[`q ${JSON.stringify(f)}`] = got;
      }
    });

    it("says 'at least' past the count's bound, and exact kept counts whatever the bound", async () => {
      const done = docs.filter((d) => d.status === "done").length;
      const some = { sender: "H53.b" };
      const n = docs.filter((d) => d.sender === "H53.b").length;
      expect((await reads.list({ filter: some, limit: 1, countUpTo: n - 1 })).total).toEqual({ count: n - 1, exact: false });
      expect((await reads.list({ filter: some, limit: 1, countUpTo: n })).total).toEqual({ count: n, exact: true });
      expect((await reads.list({ filter: { q: "báo" }, limit: 1, countUpTo: 3 })).total).toEqual({ count: 3, exact: false });
      // status and category totals come from the counts kept by triggers, exact past any bound
      expect((await reads.list({ filter: { status: "done" }, limit: 1, countUpTo: 2 })).total).toEqual({ count: done, exact: true });
      expect((await reads.list({ filter: {}, limit: 1, countUpTo: 2 })).total).toEqual({ count: docs.length, exact: true });
    });

    it("refuses a cursor of another order", async () => {
      const byNumber = (await reads.list({ filter: {}, sort: "number", limit: 5 })).next!;
      const recorded = (await reads.list({ filter: {}, limit: 5 })).next!;
      await expect(reads.list({ filter: {}, sort: "sender", cursor: byNumber, limit: 5 })).rejects.toThrow(SortCursorError);
      await expect(reads.list({ filter: {}, sort: "number", cursor: recorded, limit: 5 })).rejects.toThrow(SortCursorError);
      await expect(reads.list({ filter: { from: "2025-01-01" }, cursor: recorded, limit: 5 })).rejects.toThrow(SortCursorError);
    });

    it("reads one document with its recipients in bytewise order, its events and its latest analysis", async () => {
      expect(await reads.document("no-such")).toBeUndefined();
      // "H53.B" before "H53.b" bytewise, after it in a dictionary's order
      const many = docs.find((x) => ["H53.b", "H53.B"].every((r) => recipients.get(x.id)?.includes(r)))!;
      const d = await reads.document(many.id);
      expect(d?.recipients).toEqual([...recipients.get(many.id)!].sort(bytes));
      expect(d).toMatchObject({ id: many.id, sender: many.sender, number: many.number, subject: many.subject });
      const id = docs[0]!.id;
      expect(await reads.events(id)).toEqual([
        { kind: "status", code: "03", description: "Đã nhận", at: "2025-04-02T00:00:00.000Z", source: "edxml" },
        { kind: "revocation", code: "03", description: "Đã nhận", at: "2025-04-01T00:00:00.000Z", source: "edxml" },
      ]);
      expect(await reads.latestAnalysis(id)).toMatchObject({ reportJson: '{"v":2}', createdAt: "2025-04-01T00:00:00.000Z" });
      expect(await reads.events(docs[1]!.id)).toEqual([]);
      expect(await reads.latestAnalysis(docs[1]!.id)).toBeUndefined();
      results.document = { d, events: await reads.events(id), analysis: await reads.latestAnalysis(id) };
    });

    it("gives the same pages as every other backend", () => {
      for (const [other, theirs] of seen) expect(results, `${backend.label} against ${other}`).toEqual(theirs);
      seen.set(backend.label, results);
    });
  });
}

const seen = new Map<string, unknown>();
