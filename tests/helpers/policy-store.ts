// A store for policy changes: documents of two senders (S1 registered its organisation certificate, S2
// did not) carrying each kind a policy judges: an organisation-signed born-digital file, a signed scan, the
// full Nghị định 30 form, officials' signatures alone, and an unsigned file. Each fixture is analysed once;
// its report stands for every document of that file (its SHA-256 set to the document's).
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { analyzeStructure } from "../../src/analyze.js";
import { DEFAULT_POLICY, sealsOf, type CompliancePolicy } from "../../src/compliance/index.js";
import { loadTrustStore } from "../../src/config.js";
import { settle, submit, updateDirectory } from "../../src/lifecycle/index.js";
import { openDb, type Db } from "../../src/store/sqlite/db.js";
import { summary } from "../../src/store/read-model/figures.js";
import { sqliteReadModel } from "../../src/store/sqlite/read-model.js";
import type { DocumentReport } from "../../src/verify/report.js";
import { AT, FIXTURES, ROOT } from "./paths.js";

const FILES = [
  "signed-cades-rsa-sha256.pdf",
  "signed-scan-organization.pdf",
  "nd30-personal-then-organization.pdf",
  "personal-signature-only.pdf",
  "unsigned.pdf",
];

/** What each policy switch moves: S2's sealed files leave the numerator under the sender-seal rule, and so on. */
export const MOVING: CompliancePolicy = { ...DEFAULT_POLICY, requireSenderSeal: true, signedScansCount: false };

/** Fills a new store at `dir` with `n` analysed documents (under the default policy); returns it open. */
export function policyStore(dir: string, n: number): Db {
  const trust = loadTrustStore([join(ROOT, "fixtures", "trust")], { includeDefault: false });
  const reports = FILES.map((f) => analyzeStructure(readFileSync(join(FIXTURES, f)), { now: AT, trust }));
  const seal = sealsOf(reports[0]!.signatures).find((s) => s.kind === "organization")!.sha256;
  const db = openDb(dir);
  const agency = (code: string, more = {}) => ({ code, name: `Sở ${code}`, parent: null, kind: "administrative", ...more });
  updateDirectory(db, [agency("T"), agency("S1", { certificates: [seal] }), agency("S2")], "test");
  // each settled in its own transaction, as a runner settles them
  for (let i = 0; i < n; i++) {
    const sha256 = createHash("sha256").update(`policy document ${i}`).digest("hex");
    const r = submit(
      db,
      {
        kind: "document",
        source: "upload",
        meta: {
          sender: i % 2 ? "S2" : "S1",
          recipients: ["T"],
          number: `${i}/CV`,
          issuedDate: `2024-${String((i % 12) + 1).padStart(2, "0")}-10`,
          classification: "none",
          receivedAt: "2024-12-31T00:00:00Z",
          channel: "electronic",
        },
        file: { sha256, bytes: 1000 + i, kind: "pdf" },
      },
      "test",
    );
    const report: DocumentReport = { ...reports[i % FILES.length]!, sha256 };
    settle(db, r.id!, { kind: "analysis", report, durationMs: 1 }, DEFAULT_POLICY, "test");
  }
  return db;
}

/** The figures of the year, and every document's place, to compare two stores by. */
export async function policyFigures(db: Db, policy: CompliancePolicy) {
  const s = await summary(sqliteReadModel(db), { from: "2024-01-01", to: "2024-12-31" }, policy);
  const rows = db.prepare("SELECT id, category, counts, agency, sealed FROM documents ORDER BY id").all();
  return { byCategory: s.byCategory, denominator: s.denominator, numerator: s.numerator, sealedBySender: s.sealedBySender, rows };
}
