// A submission on every backend (LifecycleStore.run through lifecycle/index.ts submitTo): the same
// messages give the same store on SQLite and on PostgreSQL — documents and their derived columns,
// versions and their links, events, deliveries, conflicts, messages, register rows — the same log
// entries in the same order and the same figures; a lineage ends in the same order whatever order its
// messages arrive in. On PostgreSQL, nodes submitting the same documents at once give what one node
// submitting them in turn gives: one document each, no conflict, no error.
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setClock, type Clock } from "../../../src/clock.js";
import { DEFAULT_POLICY } from "../../../src/compliance/index.js";
import { submitTo, type Submission, type Submitted } from "../../../src/lifecycle/index.js";
import { summary } from "../../../src/store/read-model/figures.js";
import { BACKENDS, type OpenedStore } from "./backends.js";

const sha = (s: string) => createHash("sha256").update(s).digest("hex");
const AGENCIES = ["H53.01", "H53.02", "H53.03", "H53.04"];
const meta = (sender: string, number: string, date: string | undefined, at: string, recipients = ["H53.02"]) => ({
  sender,
  recipients,
  number,
  ...(date ? { issuedDate: date } : {}),
  classification: "none" as const,
  receivedAt: at,
  channel: "electronic" as const,
});
const file = (tag: string) => ({ sha256: sha(tag), bytes: 10, kind: "not-pdf" as const, name: `${tag}.doc` });
const msg = (tag: string, at: string) => ({ sha256: sha(`m ${tag}`), receivedAt: at, attachments: { document: `${tag}.doc`, annexes: [], skipped: [] } });

const A = "H53.01,2025/05/05,10/UBND-VP";
const R = "H53.01,2025/05/20,11/UBND-VP";
const original: Submission = {
  kind: "document",
  source: "edxml",
  exchangeId: A,
  meta: meta("H53.01", "10/UBND-VP", "2025-05-05", "2025-05-05T02:00:00.000Z"),
  file: file("a"),
  message: msg("a", "2025-05-05T02:00:00.000Z"),
};
const update: Submission = {
  kind: "update",
  source: "edxml",
  exchangeId: A,
  targets: [A],
  reason: "đính chính",
  meta: meta("H53.01", "10/UBND-VP", "2025-05-05", "2025-05-10T02:00:00.000Z"),
  file: file("u"),
  message: msg("u", "2025-05-10T02:00:00.000Z"),
};
const replacement: Submission = {
  kind: "replacement",
  source: "edxml",
  exchangeId: R,
  targets: [R, A],
  reason: "thay thế",
  meta: meta("H53.01", "11/UBND-VP", "2025-05-20", "2025-05-20T02:00:00.000Z"),
  file: file("r"),
  message: msg("r", "2025-05-20T02:00:00.000Z"),
};
const revocation: Submission = {
  kind: "revocation",
  source: "edxml",
  exchangeId: A,
  targets: [A],
  sender: "H53.01",
  reason: "thu hồi",
  at: "2025-05-06T02:00:00.000Z",
  message: msg("revoke", "2025-05-06T02:00:00.000Z"),
};
const status: Submission = {
  kind: "status",
  source: "edxml",
  exchangeId: A,
  from: "H53.02",
  code: "03",
  description: "đã xử lý",
  at: "2025-05-07T02:00:00.000Z",
  message: msg("status", "2025-05-07T02:00:00.000Z"),
};
const forward: Submission = {
  kind: "document",
  source: "edxml",
  exchangeId: A,
  meta: meta("H53.03", "10/UBND-VP", "2025-05-05", "2025-05-25T02:00:00.000Z", ["H53.04"]),
  file: file("a"),
  message: msg("fwd", "2025-05-25T02:00:00.000Z"),
};
const registerRow: Submission = {
  kind: "document",
  source: "register",
  meta: { ...meta("H53.03", "7/QĐ-UBND", "2025-06-02", "2025-06-03T00:00:00.000Z"), channel: "paper" },
  file: null,
};
const itsFile: Submission = {
  kind: "document",
  source: "upload",
  meta: meta("H53.03", "7/QĐ-UBND", "2025-06-02", "2025-06-04T00:00:00.000Z"),
  file: file("register-file"),
};
// another DocumentId with the sender, number and date of A: refused by the life cycle's own check
const sameUnit: Submission = { ...original, exchangeId: "H53.01,2025/05/05,10b/UBND-VP", file: file("b"), message: msg("b", "2025-05-05T03:00:00.000Z") };
// an update of a document kyso never received, carrying A's current file: refused by the file's unique index
const collides: Submission = {
  ...update,
  exchangeId: "H53.04,2025/05/30,9/UBND",
  targets: ["H53.04,2025/04/01,1/UBND"],
  meta: meta("H53.04", "9/UBND", "2025-05-30", "2025-05-30T02:00:00.000Z"),
  file: file("a"),
  message: msg("collides", "2025-05-30T02:00:00.000Z"),
};

const SCENARIOS: Record<string, Submission[]> = {
  "a document, then the same bytes again": [original, original],
  "a lineage in order": [original, update, replacement],
  "a lineage backwards": [replacement, update, original],
  "a lineage shuffled": [update, original, replacement],
  "a lineage, its update last": [replacement, original, update],
  "a revocation before its document": [revocation, original],
  "a revocation after its document": [original, revocation],
  "a status, before and after its document": [status, original, { ...status, code: "04", at: "2025-05-08T02:00:00.000Z" }],
  "a delivery by another sender after the document": [original, forward],
  "a delivery by another sender before the document": [forward, original],
  "a register row, then its file": [registerRow, itsFile],
  "collisions listed as conflicts": [original, sameUnit, collides, sameUnit],
};

type Row = Record<string, unknown>;

/** What a store holds, its ids (random UUIDs) replaced by what the document is, its clock's times left out. */
async function contents(store: OpenedStore) {
  const docs = await store.select("SELECT * FROM documents");
  const labels = new Map(
    docs.map((d) => [d.id as string, `${d.exchange_id ?? "-"} ${d.sender} ${d.number} v${d.version} ${String(d.sha256 ?? "paper").slice(0, 6)}`]),
  );
  const omit = (r: Row, ...keys: string[]) => Object.fromEntries(Object.entries(r).filter(([k]) => !keys.includes(k)));
  const log = (await (await store.connect()).entries(0, 10_000)).filter((e) => e.action !== "log-key");
  const raw = {
    // the digest of a document's facts covers the ids it links to: whether they were logged is compared
    documents: docs
      .map((d): Record<string, unknown> => ({ ...d, facts_logged: d.facts_logged !== null }))
      .sort((a, b) => (labels.get(a.id as string)! < labels.get(b.id as string)! ? -1 : 1)),
    deliveries: (await store.select("SELECT * FROM deliveries")).map((r): Row => ({ ...r, document_id: labels.get(r.document_id as string) })),
    events: (await store.select("SELECT * FROM document_events ORDER BY seq")).map((e): Row => ({
      ...omit(e, "seq", "created_at"),
      details: JSON.parse(e.details as string) as unknown,
    })),
    conflicts: (await store.select("SELECT * FROM conflicts ORDER BY id")).map((c) => omit(c, "id", "created_at")),
    messages: await store.select("SELECT * FROM edxml_messages"),
    registers: (await store.select("SELECT * FROM register_rows ORDER BY id")).map((r) => omit(r, "id", "created_at")),
    log: log.map((e) => ({ action: e.action, subject: e.subject, documentId: e.documentId, agency: e.agency, details: omit(e.details as Row, "factsSha256") })),
  };
  let text = JSON.stringify(raw);
  for (const [id, label] of labels) text = text.split(id).join(label);
  const out = JSON.parse(text) as typeof raw;
  // rows a query gives in no stated order: compared as sets
  for (const k of ["deliveries", "messages"] as const) out[k].sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
  const figures = await summary(await store.readModel(), { from: "2025-01-01", to: "2025-12-31" }, DEFAULT_POLICY);
  return { ...out, figures: { numerator: figures.numerator, denominator: figures.denominator, byCategory: figures.byCategory } };
}

type Contents = Awaited<ReturnType<typeof contents>>;
const seen = new Map<string, Map<string, { answers: unknown; held: Contents }>>();

async function opened(backend: (typeof BACKENDS)[number]): Promise<OpenedStore> {
  const store = await backend.open();
  await store.seedRows(AGENCIES.map((code) => ["agencies", { code, name: code, parent: null, kind: "administrative" }]));
  return store;
}

// kyso's receipt of each document (created_at, its proof of existence) at one time on every backend
let clock: Clock;
beforeAll(() => void (clock = setClock(() => new Date("2025-07-01T00:00:00.000Z"))));
afterAll(() => void setClock(clock));

for (const backend of BACKENDS) {
  describe.skipIf(!backend.available)(`submissions on ${backend.name}`, () => {
    beforeAll(() => backend.setup(), 120_000);
    afterAll(() => backend.teardown());
    const held = new Map<string, { answers: Submitted[]; held: Contents }>();

    for (const [name, subs] of Object.entries(SCENARIOS))
      it(`${name}: the same rows, log and figures as every other backend`, async () => {
        const store = await opened(backend);
        const node = await store.lifecycle();
        const answers: Submitted[] = [];
        for (const s of subs) answers.push(await submitTo(node, s, "test"));
        await node.close();
        const now = await contents(store);
        const ids = new Map(now.documents.map((d) => [d.id as string, d.id]));
        const said = answers.map((a) => ({ ...a, id: a.id === null ? null : ids.has(a.id) ? a.id : "?", note: a.note?.replace(/[0-9a-f-]{36}/g, "<id>") }));
        held.set(name, { answers, held: now });
        const mine = seen.get(name) ?? seen.set(name, new Map()).get(name)!;
        for (const [other, was] of mine) expect({ answers: said, held: now }, `${backend.name} against ${other}`).toEqual(was);
        mine.set(backend.name, { answers: said, held: now });
      });

    it("says what each submission was", () => {
      const answers = (name: string) => held.get(name)!.answers;
      expect(answers("a document, then the same bytes again").map((a) => a.existing)).toEqual([false, true]);
      expect(answers("collisions listed as conflicts").map((a) => [a.existing, a.conflict ?? false])).toEqual([
        [false, false],
        [false, true],
        [false, true],
        [true, true],
      ]);
      const c = held.get("collisions listed as conflicts")!.held;
      expect(c.conflicts.map((k) => [k.exchange_id, k.reason, k.with_document])).toEqual([
        ["H53.01,2025/05/05,10b/UBND-VP", expect.stringMatching(/same sender, number and issue date/), expect.stringContaining(A)],
        ["H53.04,2025/05/30,9/UBND", expect.stringMatching(/its file is already the current version/), expect.stringContaining(A)],
      ]);
      expect(c.documents.map((d) => d.exchange_id)).toEqual([A]);
      expect(c.log.filter((e) => e.action === "conflict")).toHaveLength(2);
    });

    it("ends a lineage in the same order whatever order its messages arrive in", () => {
      const lineage = (name: string) => {
        const h = held.get(name)!.held;
        return { documents: h.documents, deliveries: h.deliveries, figures: h.figures };
      };
      const inOrder = lineage("a lineage in order");
      expect(inOrder.documents.map((d) => [d.exchange_id, d.business, d.version, d.superseded_by === null, d.held])).toEqual([
        [A, "document", 1, false, "superseded"],
        [A, "update", 2, false, "superseded"],
        [R, "replacement", 3, true, null],
      ]);
      expect(inOrder.documents[2]!.supersedes).toBe(inOrder.documents[1]!.id);
      expect(lineage("a lineage backwards")).toEqual(inOrder);
      expect(lineage("a lineage shuffled")).toEqual(inOrder);
      // the replacement of another DocumentId linked first: the update that comes later stays under it
      expect(lineage("a lineage, its update last")).toEqual(inOrder);
    });

    it("revokes a document whichever comes first, and keeps its status and deliveries with it", () => {
      for (const name of ["a revocation before its document", "a revocation after its document"]) {
        const d = held.get(name)!.held.documents;
        expect(
          d.map((r) => [r.revoked_at, r.held]),
          name,
        ).toEqual([["2025-05-06T02:00:00.000Z", "revoked"]]);
      }
      const s = held.get("a status, before and after its document")!.held;
      expect(s.events.map((e) => [e.kind, e.code, e.document_id])).toEqual([
        ["status", "03", s.documents[0]!.id],
        ["status", "04", s.documents[0]!.id],
      ]);
      for (const name of ["a delivery by another sender after the document", "a delivery by another sender before the document"]) {
        const h = held.get(name)!.held;
        expect(h.documents, name).toHaveLength(1);
        expect(
          h.deliveries.map((r) => [r.recipient, r.via]),
          name,
        ).toEqual([
          ["H53.02", null],
          ["H53.04", "forward"],
        ]);
      }
      const r = held.get("a register row, then its file")!;
      expect(r.answers.map((a) => a.existing)).toEqual([false, true]);
      expect(r.held.documents.map((d) => [d.channel, d.sha256, d.source])).toEqual([["electronic", file("register-file").sha256, "register"]]);
    });
  });
}

describe.skipIf(!BACKENDS.find((b) => b.name === "postgres")!.available)("submissions from several PostgreSQL nodes at once", () => {
  const pg = BACKENDS.find((b) => b.name === "postgres")!;
  beforeAll(() => pg.setup(), 120_000);
  afterAll(() => pg.teardown());
  const N = 50;
  const lineageOf = (i: number) => `H53.01,2025/05/05,${i}/UBND-VP`;
  const documentOf = (i: number): Submission => ({
    ...original,
    exchangeId: lineageOf(i),
    meta: meta("H53.01", `${i}/UBND-VP`, "2025-05-05", "2025-05-05T02:00:00.000Z"),
    file: file(`doc ${i}`),
    message: msg(`doc ${i}`, "2025-05-05T02:00:00.000Z"),
  });
  /** Each node submits its message of document i, all nodes at once, each after a pause of up to `stagger` ms; then document i + 1. */
  const all = async (store: OpenedStore, work: Array<(i: number) => Submission>, stagger = 0) => {
    const nodes = await Promise.all(work.map(() => store.lifecycle()));
    const out: Submitted[][] = nodes.map(() => []);
    try {
      for (let i = 0; i < N; i++)
        await Promise.all(
          nodes.map(async (node, k) => {
            if (stagger) await new Promise((r) => setTimeout(r, Math.random() * stagger));
            out[k]![i] = await submitTo(node, work[k]!(i), `node ${k}`);
          }),
        );
      return out;
    } finally {
      await Promise.all(nodes.map((n) => n.close()));
    }
  };

  it("four nodes submitting the same 50 documents record each once, none as a conflict", async () => {
    const store = await opened(pg);
    const answers = await all(store, [documentOf, documentOf, documentOf, documentOf]);
    const counted = await store.select(
      "SELECT count(*)::int AS n, count(*) FILTER (WHERE superseded_by IS NULL)::int AS current, count(DISTINCT exchange_id)::int AS lineages FROM documents",
    );
    expect(counted).toEqual([{ n: N, current: N, lineages: N }]);
    expect(await store.select("SELECT count(*)::int AS n FROM conflicts")).toEqual([{ n: 0 }]);
    // as in turn: one node recorded each document, the three others were told it was already there
    for (let i = 0; i < N; i++) expect(answers.map((a) => a[i]!.existing).sort()).toEqual([false, true, true, true]);
    expect((await contents(store)).figures.denominator).toBe(N);
  }, 120_000);

  it("a revocation and a status submitted while their document is being recorded still find it", async () => {
    const store = await opened(pg);
    const revokes = (i: number): Submission => ({
      ...revocation,
      exchangeId: lineageOf(i),
      targets: [lineageOf(i)],
      message: msg(`revoke ${i}`, "2025-05-06T02:00:00.000Z"),
    });
    const states = (i: number): Submission => ({ ...status, exchangeId: lineageOf(i), message: msg(`status ${i}`, "2025-05-07T02:00:00.000Z") });
    // staggered: a revocation that begins while its document's step is under way, after that step looked for one
    await all(store, [documentOf, revokes, states, documentOf], 20);
    const docs = await store.select("SELECT revoked_at, held FROM documents");
    expect(docs).toHaveLength(N);
    expect(docs.every((d) => d.revoked_at === "2025-05-06T02:00:00.000Z" && d.held === "revoked")).toBe(true);
    // every event belongs to its document, as when the document came first
    expect(await store.select("SELECT count(*)::int AS n FROM document_events WHERE document_id IS NULL")).toEqual([{ n: 0 }]);
    expect(await store.select("SELECT count(*)::int AS n FROM document_events")).toEqual([{ n: 2 * N }]);
  }, 120_000);
});
