// A policy change (issue 26 point 1, issue 27 point 3) derives the documents it may move again with
// compliance's one derivation: under every policy each row is what a fresh derivation from its facts
// gives, and the log replays it; over more than the inline bound the change is worked in the background,
// a batch at a time, to the figures of an inline change, with the figures saying meanwhile that they are
// being updated and the replay agreeing at every step, two changes on top of each other included.
import { cpSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_POLICY, type CompliancePolicy } from "../../src/compliance/index.js";
import { applyPolicy } from "../../src/lifecycle/index.js";
import { StoreBackgroundWork } from "../../src/queue/background-work.js";
import { embeddedBackground } from "../../src/queue/background-stores.js";
import { exportAudit } from "../../src/store/sqlite/audit.js";
import { checkStore } from "../../src/store/sqlite/check.js";
import { openDb, type Db } from "../../src/store/sqlite/db.js";
import { pendingDerivations } from "../../src/store/sqlite/derivations.js";
import { deriveNext } from "../../src/lifecycle/rederive.js";
import { directoryOf } from "../../src/store/sqlite/directory.js";
import { derivation, recipientsOf } from "../../src/store/sqlite/lifecycle.js";
import { policyRequests } from "../../src/store/sqlite/policy-change.js";
import { summary } from "../../src/store/read-model/figures.js";
import { sqliteReadModel } from "../../src/store/sqlite/read-model.js";
import { exportEntries, figuresFromEntries } from "../../src/store/export-figures.js";
import type { DocumentRow } from "../../src/store/rows.js";
import { useTestClock } from "../helpers/clock.js";
import { MOVING, policyFigures, policyStore } from "../helpers/policy-store.js";

const YEAR = { from: "2024-01-01", to: "2024-12-31" };
let restore: () => void;
let root: string;
let base: string;
beforeAll(() => {
  restore = useTestClock();
  root = mkdtempSync(join(tmpdir(), "kyso-policy-"));
  base = join(root, "base");
  policyStore(base, 60).close();
});
afterAll(() => restore());

/** A copy of the base store, open. */
let copies = 0;
const copy = (): Db => {
  const to = join(root, `copy-${++copies}`);
  cpSync(base, to, { recursive: true });
  return openDb(to);
};

/** The log export's figures (an auditor's, from the entries alone) against the store's. */
async function exportAgrees(db: Db, policy: CompliancePolicy): Promise<void> {
  const f = figuresFromEntries(exportEntries([...exportAudit(db)].join("")), YEAR);
  const s = await summary(sqliteReadModel(db), YEAR, policy);
  expect([f.province.denominator, f.province.numerator]).toEqual([s.denominator, s.numerator]);
}

describe("applyPolicy", () => {
  it("places every document as compliance's derivation does under each policy, and the log replays it", async () => {
    const db = copy();
    const policies: CompliancePolicy[] = [];
    for (const signedScansCount of [true, false])
      for (const requireNd30 of [false, true])
        for (const requireSenderSeal of [false, true]) policies.push({ target: 0.9, signedScansCount, requireNd30, requireSenderSeal });
    const dir = directoryOf(db);
    for (const policy of policies) {
      applyPolicy(db, policy, "test");
      expect(pendingDerivations(db)).toBe(0);
      for (const row of db.prepare("SELECT * FROM documents").all() as DocumentRow[]) {
        const d = derivation(row, recipientsOf(db, row.id), dir, policy);
        expect([row.category, row.counts], `${row.number} under ${JSON.stringify(policy)}`).toEqual([d.category, d.counts]);
      }
      expect(checkStore(db), JSON.stringify(policy)).toMatchObject({ ok: true, figures: { ok: true } });
      await exportAgrees(db, policy);
    }
    // what each switch does, on the store's five kinds of file (S2 has no registered seal)
    const under = (p: CompliancePolicy) => (applyPolicy(db, p, "test"), summary(sqliteReadModel(db), YEAR, p));
    expect(await under(DEFAULT_POLICY)).toMatchObject({ denominator: 60, numerator: 48 });
    expect(await under({ ...DEFAULT_POLICY, signedScansCount: false })).toMatchObject({ numerator: 36 });
    expect(await under({ ...DEFAULT_POLICY, requireNd30: true })).toMatchObject({ numerator: 24 }); // the organisation-signed scan and the full form
    const sealed = await under({ ...DEFAULT_POLICY, requireSenderSeal: true });
    expect(sealed.numerator).toBe(18); // S1's three organisation-sealed kinds
    expect(sealed.byCategory["signed-valid-not-sender"]).toBe(30);
    // each change was logged with its policy
    expect((db.prepare("SELECT count(*) n FROM audit_log WHERE action = 'policy-change'").get() as { n: number }).n).toBeGreaterThanOrEqual(policies.length);
    db.close();
  });

  it("logs a policy that moves no document (a new target), with nothing to derive", async () => {
    const db = copy();
    applyPolicy(db, DEFAULT_POLICY, "test");
    const before = await policyFigures(db, DEFAULT_POLICY);
    expect(applyPolicy(db, { ...DEFAULT_POLICY, target: 0.95 }, "test")).toEqual({ pending: 0 });
    expect(policyRequests(db)).toEqual([]);
    expect((await policyFigures(db, DEFAULT_POLICY)).rows).toEqual(before.rows);
    const last = db.prepare("SELECT details FROM audit_log WHERE action = 'policy-change' ORDER BY seq DESC LIMIT 1").get() as { details: string };
    expect(JSON.parse(last.details)).toMatchObject({ policy: { target: 0.95 }, documentsToDerive: 0 });
    // the same policy again is no change at all
    const n = (db.prepare("SELECT count(*) n FROM audit_log").get() as { n: number }).n;
    applyPolicy(db, { ...DEFAULT_POLICY, target: 0.95 }, "test");
    expect((db.prepare("SELECT count(*) n FROM audit_log").get() as { n: number }).n).toBe(n);
    db.close();
  });

  it("works a change over the inline bound in the background, to the figures of an inline change", async () => {
    const inline = copy();
    applyPolicy(inline, MOVING, "test");
    const want = await policyFigures(inline, MOVING);
    inline.close();

    const db = copy();
    const { pending } = applyPolicy(db, MOVING, "test", { inlineUpTo: 10 });
    expect(pending).toBeGreaterThan(10); // left to the background: the documents of the two valid categories
    expect((await summary(sqliteReadModel(db), YEAR, MOVING)).pendingDerivations).toBe(pending);
    // a few batches, the replay agreeing after each (documents not reached yet keep the policy before)
    for (let i = 0; i < 3; i++) {
      expect(deriveNext(db, 7, "test")).toBe("policy");
      expect(checkStore(db)).toMatchObject({ ok: true, figures: { ok: true } });
    }
    expect(pendingDerivations(db)).toBeGreaterThan(0);
    const work = new StoreBackgroundWork(embeddedBackground(db), () => {}, "test", 7);
    work.start();
    await work.idle();
    expect(pendingDerivations(db)).toBe(0);
    expect(await policyFigures(db, MOVING)).toEqual(want);
    expect(checkStore(db)).toMatchObject({ ok: true, figures: { ok: true } });
    await exportAgrees(db, MOVING);
    db.close();
  });

  it("replays a second change made while the first is still being worked, and ends at the second's figures", async () => {
    const second: CompliancePolicy = { ...DEFAULT_POLICY, requireNd30: true };
    const inline = copy();
    applyPolicy(inline, second, "test");
    const want = await policyFigures(inline, second);
    inline.close();

    const db = copy();
    applyPolicy(db, MOVING, "test", { inlineUpTo: 0 });
    deriveNext(db, 9, "test");
    applyPolicy(db, second, "test", { inlineUpTo: 0 });
    expect(policyRequests(db)).toHaveLength(2);
    for (let i = 0; i < 8 && deriveNext(db, 9, "test"); i++) expect(checkStore(db)).toMatchObject({ ok: true, figures: { ok: true } });
    while (deriveNext(db, 9, "test"));
    expect(policyRequests(db)).toEqual([]);
    expect(await policyFigures(db, second)).toEqual(want);
    expect(checkStore(db)).toMatchObject({ ok: true, figures: { ok: true } });
    db.close();
  });

  it("names a document whose place follows no policy the store went through", async () => {
    const db = copy();
    applyPolicy(db, MOVING, "test", { inlineUpTo: 0 });
    // a document not reached yet, counted by hand as neither the policy before nor the new one counts it
    const row = db
      .prepare("SELECT id FROM documents WHERE category = 'signed-valid' AND counts = 1 AND content_kind = 'scanned' ORDER BY id DESC LIMIT 1")
      .get() as { id: string };
    db.prepare("UPDATE documents SET category = 'signed-valid-not-sender', counts = 1 WHERE id = ?").run(row.id);
    expect(checkStore(db)).toMatchObject({ ok: false, figures: { broken: { table: "documents" } } });
    db.close();
  });
});
