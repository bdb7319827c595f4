// A restructured directory keeps its history (issue 11): two departments merged into one from 2025-07-01
// (the 2025 reorganisation). A document counts for the agency that sent it in periods before the change,
// and for the successor in periods after it, even when it still carries the old code; the province
// figure is the same before and after the directory learns of the merge. Real analyses of fixture PDFs.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { analyzeStructure } from "../../src/analyze.js";
import { DEFAULT_POLICY } from "../../src/compliance/index.js";
import { loadTrustStore } from "../../src/config.js";
import { applyPolicy, settle, submit, updateDirectory } from "../../src/lifecycle/index.js";
import { BlobStore } from "../../src/store/blobs.js";
import { openDb } from "../../src/store/sqlite/db.js";
import type { Agency } from "../../src/store/sqlite/documents.js";
import { agencies, summary } from "../../src/store/read-model/figures.js";
import { sqliteReadModel } from "../../src/store/sqlite/read-model.js";
import { exportAudit } from "../../src/store/sqlite/audit.js";
import { checkStore } from "../../src/store/sqlite/check.js";
import { exportEntries, figuresFromEntries } from "../../src/store/export-figures.js";
import { FIXTURES, ROOT } from "../helpers/paths.js";

const trust = loadTrustStore([join(ROOT, "fixtures", "trust")], { includeDefault: false });
const admin = (code: string, more: Partial<Agency> = {}): Agency => ({ code, name: `Sở ${code}`, parent: "T", kind: "administrative", ...more });

describe("a merge of two agencies from a date", () => {
  const dir = mkdtempSync(join(tmpdir(), "kyso-merge-"));
  const db = openDb(dir);
  const blobs = new BlobStore(join(dir, "blobs"));
  applyPolicy(db, DEFAULT_POLICY);
  updateDirectory(db, [admin("T"), admin("X1"), admin("X2"), admin("X3", { validFrom: "2025-07-01" })], "test");
  let n = 0;
  const send = (sender: string, date: string, file: string) => {
    const bytes = readFileSync(join(FIXTURES, file));
    // white space appended (which verification ignores) makes each upload a document of its own
    const body = Buffer.concat([bytes, Buffer.alloc(++n, 0x20)]);
    const r = submit(
      db,
      {
        kind: "document",
        source: "upload",
        meta: {
          sender,
          recipients: ["T"],
          number: `${n}/${sender}`,
          issuedDate: date,
          classification: "none",
          receivedAt: `${date}T03:00:00Z`,
          channel: "electronic",
        },
        file: { sha256: blobs.put(body), bytes: body.length, kind: "pdf" },
      },
      "test",
    );
    settle(db, r.id!, { kind: "analysis", report: analyzeStructure(body, { now: `${date}T03:00:00Z`, trust }), durationMs: 1 }, DEFAULT_POLICY);
  };
  send("X1", "2025-06-10", "signed-cades-rsa-sha256.pdf");
  send("X1", "2025-06-11", "unsigned.pdf");
  send("X2", "2025-06-12", "personal-signature-only.pdf");
  // after the merge, one sender still uses its old code
  send("X1", "2025-08-05", "nd30-personal-then-organization.pdf");
  send("X3", "2025-08-06", "unsigned-empty-field.pdf");
  const june = { from: "2025-06-01", to: "2025-06-30" };
  const august = { from: "2025-08-01", to: "2025-08-31" };
  const fig = async (p: typeof june, agency?: string) => {
    const s = await summary(sqliteReadModel(db), p, DEFAULT_POLICY, agency);
    return [s.denominator, s.numerator];
  };
  let beforeProvince: number[][] = [];
  beforeAll(async () => void (beforeProvince = [await fig(june), await fig(august)]));

  it("counts the documents sent with the old code after the change for the successor", async () => {
    expect(await fig(august, "X1")).toEqual([1, 1]);
    updateDirectory(db, [admin("X1", { validTo: "2025-07-01", successor: "X3" }), admin("X2", { validTo: "2025-07-01", successor: "X3" })], "test");
    expect(await fig(august, "X1")).toEqual([0, 0]);
    expect(await fig(august, "X3")).toEqual([2, 1]);
  });

  it("keeps the figures before the change with the agencies that sent them", async () => {
    expect(await fig(june, "X1")).toEqual([2, 1]);
    expect(await fig(june, "X2")).toEqual([1, 1]);
    expect(await fig(june, "X3")).toEqual([0, 0]);
    const ranking = (await agencies(sqliteReadModel(db), june, DEFAULT_POLICY)).agencies
      .filter((a) => a.denominator > 0)
      .map((a) => [a.code, a.denominator, a.numerator]);
    expect(ranking.sort()).toEqual([
      ["X1", 2, 1],
      ["X2", 1, 1],
    ]);
  });

  it("leaves the province figure as it was", async () => {
    expect([await fig(june), await fig(august)]).toEqual(beforeProvince);
    expect(beforeProvince).toEqual([
      [3, 2],
      [2, 1],
    ]);
  });

  it("gives the same figures from the log alone, the agency counted for included, and the store replays clean", async () => {
    const text = [...exportAudit(db)].join("");
    for (const p of [june, august]) {
      const f = figuresFromEntries(exportEntries(text), p);
      expect([f.province.denominator, f.province.numerator]).toEqual(await fig(p));
      const byAgency = Object.fromEntries(f.agencies.filter((a) => a.denominator > 0).map((a) => [a.code, [a.denominator, a.numerator]]));
      expect(byAgency).toEqual(
        Object.fromEntries(
          (await agencies(sqliteReadModel(db), p, DEFAULT_POLICY)).agencies.filter((a) => a.denominator > 0).map((a) => [a.code, [a.denominator, a.numerator]]),
        ),
      );
    }
    expect(figuresFromEntries(exportEntries(text), august).agencies.find((a) => a.code === "X3")).toMatchObject({ denominator: 2, numerator: 1 });
    expect(checkStore(db)).toMatchObject({ ok: true, figures: { ok: true } });
  });

  it("keeps the sender as sent: only the agency counted for follows the directory", () => {
    const rows = db.prepare("SELECT sender, agency FROM documents WHERE period_date >= '2025-08-01' ORDER BY period_date").all();
    expect(rows).toEqual([
      { sender: "X1", agency: "X3" },
      { sender: "X3", agency: "X3" },
    ]);
  });
});

describe("the directory sent again", () => {
  it("derives again only the documents of agencies whose entry changed, by their old and new codes", async () => {
    const { updateAgencies } = await import("../../src/lifecycle/directory.js");
    const { sqliteDocumentTx } = await import("../../src/store/sqlite/document-tx.js");
    const { runScript } = await import("../../src/store/document-tx.js");
    const db = openDb(mkdtempSync(join(tmpdir(), "kyso-dir-again-")));
    const rows = [admin("T"), admin("A", { aliases: ["000.00.0A.T"] }), admin("B")];
    const asked: string[][] = [];
    // the life cycle's step on the embedded store, with the queueing it asks for recorded instead of done
    const tx = { ...sqliteDocumentTx(db), queueDerivations: (codes: readonly string[]) => (asked.push([...codes].sort()), 0) };
    const put = (list: Agency[]) =>
      db.transaction(() =>
        runScript(tx, updateAgencies(list, "test", "2026-01-01T00:00:00.000Z"), () => {
          throw new Error("the directory's step runs no part alone");
        }),
      )();
    put(rows);
    expect(asked.pop()).toEqual(["000.00.0A.T", "A", "B", "T"]); // all new
    put(rows);
    expect(asked).toEqual([]); // as it stands: nothing to derive again, no walk asked for (a nightly sync)
    put([admin("T"), admin("A", { aliases: ["A-NEW"] }), admin("B", { kind: "other" })]);
    expect(asked.pop()).toEqual(["000.00.0A.T", "A", "A-NEW", "B"]); // the alias given up is named too
    expect(db.prepare("SELECT count(*) n FROM audit_log WHERE action = 'agencies-update'").get()).toEqual({ n: 3 });
  });
});
