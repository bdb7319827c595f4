// Generated exchange traffic, shuffled (issue 23): random lineages of one document each (an original, or
// none; updates; a replacement; a revocation; status messages; forwards by other agencies; every message
// possibly sent twice; some documents without a DocumentId) sent through submit() in two orders. Invariants: nothing throws, each
// message is answered once, the figure equals a count made here from the traffic alone, and both orders
// leave the same store. Seeded (KYSO_PROPERTY_SEED to replay one), 1,000 traffics per run.
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { submit, updateDirectory, type Submission } from "../../src/lifecycle/index.js";
import { openDb, type Db } from "../../src/store/sqlite/db.js";

const AGENCIES = ["H53.01", "H53.02", "H53.03", "H53.04"];
const sha = (s: string) => createHash("sha256").update(s).digest("hex");

interface Lineage {
  id: string | null;
  sender: string;
  number: string;
  date: string;
  original: boolean;
  updates: number;
  replacement: boolean;
  revocation: boolean;
  statuses: string[];
  /** agencies that forward the document to others (the same DocumentId from another sender) */
  forwards: string[];
}

const lineage = (i: number) =>
  fc
    .record({
      hasId: fc.boolean().map((b) => b || i % 3 !== 0),
      sender: fc.constantFrom(...AGENCIES),
      day: fc.integer({ min: 1, max: 28 }),
      original: fc.boolean(),
      updates: fc.integer({ min: 0, max: 2 }),
      replacement: fc.boolean(),
      revocation: fc.boolean(),
      statuses: fc.array(fc.constantFrom("01", "02", "03", "04", "05", "06"), { maxLength: 3 }),
      forwards: fc.uniqueArray(fc.constantFrom(...AGENCIES), { maxLength: 2 }),
    })
    .map((x): Lineage => {
      const number = `${100 + i}/UBND-VP`;
      const date = `2025-03-${String(x.day).padStart(2, "0")}`;
      // without a DocumentId a document is its sender, number and date: only its original can be sent
      return x.hasId
        ? {
            id: `${x.sender},${date.replaceAll("-", "/")},${number}`,
            sender: x.sender,
            number,
            date,
            original: x.original || (x.updates === 0 && !x.replacement),
            updates: x.updates,
            replacement: x.replacement,
            revocation: x.revocation,
            statuses: x.statuses,
            forwards: x.forwards.filter((f) => f !== x.sender),
          }
        : { id: null, sender: x.sender, number, date, original: true, updates: 0, replacement: false, revocation: false, statuses: [], forwards: [] };
    });

const traffic = fc.integer({ min: 1, max: 6 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => lineage(i))));

/** The messages of a traffic, in the order their lineages were sent, each with its trace time. */
function messages(lineages: Lineage[], twice: boolean[]): Submission[] {
  const out: Submission[] = [];
  lineages.forEach((l, k) => {
    const recipients = AGENCIES.filter((a) => a !== l.sender).slice(0, 2);
    let minute = 0;
    const at = () => `2025-04-${String(1 + k).padStart(2, "0")}T0${Math.floor(minute / 60)}:${String(minute++ % 60).padStart(2, "0")}:00.000Z`;
    const meta = (when: string) => ({
      sender: l.sender,
      recipients,
      number: l.number,
      issuedDate: l.date,
      classification: "none" as const,
      receivedAt: when,
      channel: "electronic" as const,
    });
    const file = (tag: string) => ({ sha256: sha(`${k}|${tag}`), bytes: 100, kind: "not-pdf" as const, name: `${tag}.doc` });
    const message = (tag: string, when: string) => ({
      sha256: sha(`message|${k}|${tag}`),
      receivedAt: when,
      attachments: { document: `${tag}.doc`, annexes: [], skipped: [] },
    });
    const push = (s: Submission) => out.push(s);
    if (l.original) {
      const t = at();
      push({ kind: "document", source: "edxml", meta: meta(t), file: file("v0"), exchangeId: l.id, message: message("v0", t) });
    }
    for (let u = 0; u < l.updates; u++) {
      const t = at();
      push({
        kind: "update",
        source: "edxml",
        targets: [l.id!],
        meta: meta(t),
        file: file(`u${u}`),
        exchangeId: l.id,
        reason: "sửa lỗi",
        message: message(`u${u}`, t),
      });
    }
    if (l.replacement) {
      const t = at();
      push({
        kind: "replacement",
        source: "edxml",
        targets: [l.id!],
        meta: meta(t),
        file: file("r"),
        exchangeId: l.id,
        reason: "thay thế",
        message: message("r", t),
      });
    }
    if (l.revocation) {
      const t = at();
      push({
        kind: "revocation",
        source: "edxml",
        targets: [l.id!],
        exchangeId: l.id,
        sender: l.sender,
        reason: "thu hồi",
        at: t,
        message: message("revocation", t),
      });
    }
    for (const by of l.forwards) {
      const t = at();
      const to = AGENCIES.filter((a) => a !== by && a !== l.sender);
      push({
        kind: "document",
        source: "edxml",
        meta: { ...meta(t), sender: by, recipients: to },
        file: file(`fwd-${by}`),
        exchangeId: l.id,
        message: message(`fwd-${by}`, t),
      });
    }
    for (const code of l.statuses) {
      const t = at();
      push({
        kind: "status",
        source: "edxml",
        exchangeId: l.id,
        from: recipients[0]!,
        code,
        description: null,
        at: t,
        message: message(`status-${code}-${t}`, t),
      });
    }
  });
  // some messages are sent twice
  return out.flatMap((m, i) => (twice[i % twice.length] ? [m, m] : [m]));
}

/** The documents a correct store counts: one per lineage that has a version, unless revoked. */
function expectedCount(lineages: Lineage[]): number {
  return lineages.filter((l) => (l.original || l.updates > 0 || l.replacement) && !l.revocation).length;
}

function snapshot(db: Db) {
  const docs = db
    .prepare(
      `SELECT d.exchange_id, d.sender, d.number, d.issued_date, d.version, d.business, d.sha256, d.period_date, d.held, d.category, d.counts, d.revoked_at IS NOT NULL AS revoked, d.superseded_by IS NULL AS current,
         (SELECT p.sha256 FROM documents p WHERE p.id = d.supersedes) AS supersedes, (SELECT group_concat(recipient) FROM (SELECT recipient FROM deliveries WHERE document_id = d.id ORDER BY recipient)) AS recipients
       FROM documents d ORDER BY d.sender, d.number, d.version`,
    )
    .all();
  const events = db
    .prepare(
      "SELECT e.kind, e.code, e.at, e.exchange_id, d.sha256 FROM document_events e LEFT JOIN documents d ON d.id = e.document_id ORDER BY e.exchange_id, e.kind, e.code, e.at",
    )
    .all();
  const conflicts = db.prepare("SELECT kind, exchange_id, reason FROM conflicts ORDER BY kind, exchange_id, reason").all();
  return { docs, events, conflicts };
}

function run(subs: Submission[]) {
  const dir = mkdtempSync(join(tmpdir(), "kyso-traffic-prop-"));
  const db = openDb(dir);
  try {
    updateDirectory(
      db,
      AGENCIES.map((code) => ({ code, name: `Sở ${code}`, parent: null, kind: "administrative" })),
      "test",
    );
    const answers = subs.map((s) => submit(db, s, "test"));
    const counted = (db.prepare("SELECT count(*) AS n FROM documents WHERE category IS NOT NULL AND held IS NULL").get() as { n: number }).n;
    return { answers, counted, snap: snapshot(db) };
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("generated traffic, shuffled", () => {
  it("never throws, answers every message, counts as the traffic says, and gives one store for any two orders", () => {
    const seed = Number(process.env.KYSO_PROPERTY_SEED ?? 20261207);
    fc.assert(
      fc.property(traffic, fc.array(fc.boolean(), { minLength: 1, maxLength: 7 }), fc.infiniteStream(fc.nat()), (lineages, twice, rand) => {
        const subs = messages(lineages, twice);
        const keys = subs.map(() => rand.next().value as number);
        const shuffled = subs
          .map((s, i) => [keys[i]!, i, s] as const)
          .sort((a, b) => a[0] - b[0] || a[1] - b[1])
          .map((x) => x[2]);
        const a = run(subs);
        const b = run(shuffled);
        expect(a.answers).toHaveLength(subs.length);
        expect(b.answers).toHaveLength(subs.length);
        expect(a.counted).toBe(expectedCount(lineages));
        if (JSON.stringify(b.snap) !== JSON.stringify(a.snap)) {
          const diff = (x: unknown[], y: unknown[]) =>
            x
              .map((r, i) => [JSON.stringify(r), JSON.stringify(y[i])])
              .filter(([p, q]) => p !== q)
              .slice(0, 3);
          throw new Error(
            `two orders, two stores: docs ${JSON.stringify(diff(a.snap.docs, b.snap.docs))} events ${JSON.stringify(diff(a.snap.events, b.snap.events))}`,
          );
        }
        expect(a.snap.conflicts).toEqual([]);
      }),
      { numRuns: 1000, seed },
    );
  }, 600_000);
});
