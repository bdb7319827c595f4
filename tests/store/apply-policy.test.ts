// applyPolicy re-derives `counts` in SQL for every stored document after a policy change; it restates the
// numerator rule of compliance.underPolicy, so this test holds the two together: every combination of
// category, content kind, Nghị định 30 flag and policy gives the same answer both ways.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { underPolicy, type Category, type CompliancePolicy } from "../../src/compliance/index.js";
import type { ContentKind } from "../../src/verify/report.js";
import { openDb } from "../../src/store/sqlite/db.js";
import { applyPolicy } from "../../src/store/sqlite/documents.js";

const CATEGORIES: Category[] = ["excluded", "paper", "unreadable", "signed-valid", "signed-invalid", "signed-indeterminate", "unsigned"];
const CONTENT: ContentKind[] = ["born-digital", "scanned", "scanned-ocr", "mixed", "empty", "unknown"];

describe("applyPolicy", () => {
  it("agrees with compliance.counts for every category, content kind, ND30 flag and policy", () => {
    const db = openDb(mkdtempSync(join(tmpdir(), "kyso-policy-")));
    const insert = db.prepare(
      "INSERT INTO documents (id, sender, classification, received_at, channel, status, between_admin, verdict, content_kind, nd30_complete, category, counts, period_date, created_at) VALUES (?, 'H53', 'none', '2024-01-01', 'electronic', 'done', 1, ?, ?, ?, ?, 0, '2024-01-01', '2024-01-01')",
    );
    const rows: Array<{ id: string; category: Category; content: ContentKind; nd30: boolean }> = [];
    for (const category of CATEGORIES)
      for (const content of CONTENT) for (const nd30 of [false, true]) rows.push({ id: `${category}-${content}-${nd30}`, category, content, nd30 });
    db.transaction(() => rows.forEach((r) => insert.run(r.id, r.category, r.content, r.nd30 ? 1 : 0, r.category)))();
    for (const signedScansCount of [true, false]) {
      for (const requireNd30 of [false, true]) {
        const policy: CompliancePolicy = { target: 0.9, signedScansCount, requireNd30 };
        applyPolicy(db, policy, "test");
        const stored = new Map(
          (db.prepare("SELECT id, counts FROM documents").all() as Array<{ id: string; counts: number }>).map((r) => [r.id, r.counts === 1]),
        );
        for (const r of rows) {
          const want = underPolicy(r.category, { sealedBySender: true, content: r.content, nd30Complete: r.nd30 }, policy).counts;
          expect(stored.get(r.id), `${r.id} under ${JSON.stringify(policy)}`).toBe(want);
        }
      }
    }
    // each policy change that moved a document was logged
    expect((db.prepare("SELECT count(*) n FROM audit_log WHERE action = 'policy-change'").get() as { n: number }).n).toBeGreaterThanOrEqual(3);
    db.close();
  });
});
