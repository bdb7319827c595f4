// Checks an evidence archive (evidence.ts) away from the server that made it: every file against the
// manifest, the PDF against the document's hash, the log entries (each on its own hash, linked where
// consecutive), the analysis entry holding the report's SHA-256, and finally the verification itself,
// done again here on the archived PDF at the recorded validation time with the checker's own trust store.
// The last check is the one a forger cannot pass: a report edited with every hash recomputed still
// disagrees with what the PDF says.
import { createHash } from "node:crypto";
import { strFromU8, unzipSync } from "fflate";
import { verifyExport, type AuditEntry } from "../store/sqlite/audit.js";
import type { KeptHead } from "../log/signed-history.js";
import { headMessage, verifySignature } from "../log/key.js";
import { leafHash, verifyInclusion } from "../log/merkle.js";
import type { DocumentReport } from "../verify/report.js";

export interface EvidenceCheck {
  ok: boolean;
  /** holds; does not hold (something was changed); or could not be checked here for want of the
   * trust anchor the document was verified with (a trust-store difference, not a forgery) */
  outcome: "holds" | "does-not-hold" | "trust-missing";
  /** for trust-missing: the anchor the signatures chain to, as the archive's path certificates name it */
  needs?: { subject: string; sha256: string; file: string | null };
  document: { id: string | null; number: string | null; sha256: string | null };
  checks: Array<{ ok: boolean; what: string }>;
}

interface Manifest {
  document: { id: string; sha256: string; number: string | null };
  files: Record<string, string>;
}

const sha256 = (b: Uint8Array | string) => createHash("sha256").update(b).digest("hex");

/** The most an evidence archive may unpack to (its PDF is at most the server's upload limit). */
const MAX_UNPACKED = 1 << 30;

/** What must agree between the recorded report and the one made here, per signature and in all. */
function decisiveSignature(s: DocumentReport["signatures"][number]): string {
  return JSON.stringify({
    kind: s.kind,
    indication: s.indication,
    subIndication: s.subIndication,
    integrity: s.integrity,
    signer: s.signer?.sha256 ?? null,
    revision: s.revision,
    modifications: s.modifications.level,
  });
}

function decisive(r: DocumentReport): string {
  return JSON.stringify({
    verdict: r.verdict,
    error: r.error?.code ?? null,
    content: r.content.kind,
    nd30: r.nd30.complete,
    signatures: r.signatures.map(decisiveSignature),
  });
}

/** Verifies a PDF again at a validation time (the CLI does it in an isolated thread, with time limits). */
export type Reanalyze = (pdf: Uint8Array, validationTime: string) => Promise<DocumentReport>;

/** What the analysis entry recorded that the report must say too. */
interface AnalysisDetails {
  reportSha256?: string;
  fileSha256?: string;
  verdict?: string;
  content?: string;
  nd30Complete?: boolean;
  category?: string | null;
  signatures?: Array<{ index: number; indication: string; subIndication: string | null }>;
}

const VERDICT_CATEGORIES = new Set(["signed-valid", "signed-invalid", "signed-indeterminate", "unsigned", "unreadable"]);

/** Where the entry and the report disagree, or null. */
function disagreement(d: AnalysisDetails, r: DocumentReport): string | null {
  if (d.fileSha256 !== undefined && d.fileSha256 !== r.sha256) return `the entry names file ${d.fileSha256}, the report ${r.sha256}`;
  if (d.verdict !== r.verdict) return `the entry records verdict ${d.verdict}, the report ${r.verdict}`;
  if (d.content !== undefined && d.content !== r.content.kind) return `the entry records content ${d.content}, the report ${r.content.kind}`;
  if (d.nd30Complete !== undefined && d.nd30Complete !== r.nd30.complete)
    return `the entry records the Decree 30 form as ${d.nd30Complete ? "complete" : "incomplete"}, the report not`;
  if (d.category && VERDICT_CATEGORIES.has(d.category) && d.category !== r.verdict)
    return `the entry records category ${d.category}, which the report's verdict ${r.verdict} does not give`;
  const sigs = d.signatures ?? [];
  if (sigs.length !== r.signatures.length) return `the entry records ${sigs.length} signature(s), the report ${r.signatures.length}`;
  for (const [i, s] of sigs.entries()) {
    const t = r.signatures[i]!;
    if (s.indication !== t.indication || s.subIndication !== t.subIndication)
      return `signature ${i + 1}: the entry records ${s.indication}${s.subIndication ? `/${s.subIndication}` : ""}, the report ${t.indication}${t.subIndication ? `/${t.subIndication}` : ""}`;
  }
  return null;
}

export interface EvidenceOptions {
  /** the instance's public key(s), pinned by the checker: the archive's signed head must verify with one */
  pinned?: readonly string[];
}

export async function checkEvidence(zip: Uint8Array, reanalyze: Reanalyze, opts: EvidenceOptions = {}): Promise<EvidenceCheck> {
  const checks: EvidenceCheck["checks"] = [];
  let needs: EvidenceCheck["needs"];
  const out = (): EvidenceCheck => ({
    ok: checks.every((c) => c.ok),
    outcome: checks.every((c) => c.ok) ? "holds" : needs && checks.slice(0, -1).every((c) => c.ok) ? "trust-missing" : "does-not-hold",
    ...(needs ? { needs } : {}),
    document: { id: manifest?.document.id ?? null, number: manifest?.document.number ?? null, sha256: manifest?.document.sha256 ?? null },
    checks,
  });
  const check = (ok: boolean, what: string): boolean => (checks.push({ ok, what }), ok);
  let manifest: Manifest | null = null;
  let files: Record<string, Uint8Array>;
  // an archive from elsewhere: what it would unpack to is bounded before anything is inflated
  let declared = 0;
  try {
    files = unzipSync(zip, {
      filter: (f) => {
        declared += f.originalSize;
        if (declared > MAX_UNPACKED) throw new Error(`it would unpack to more than ${MAX_UNPACKED} bytes`);
        return true;
      },
    });
  } catch (e) {
    check(false, `the archive cannot be read as a ZIP: ${(e as Error).message}`);
    return out();
  }
  try {
    manifest = JSON.parse(strFromU8(files["manifest.json"] ?? new Uint8Array())) as Manifest;
    if (!manifest?.files || !manifest.document) throw new Error("no files or document in it");
  } catch (e) {
    manifest = null;
    check(false, `manifest.json is missing or unreadable (${(e as Error).message})`);
    return out();
  }

  // 1. every file as the manifest says, and nothing else
  const listed = Object.keys(manifest.files);
  const bad = listed.filter((n) => !files[n] || sha256(files[n]) !== manifest!.files[n]);
  const extra = Object.keys(files).filter((n) => n !== "manifest.json" && !(n in manifest!.files) && !n.endsWith("/"));
  check(
    bad.length === 0 && extra.length === 0,
    bad.length || extra.length
      ? `files differ from the manifest: ${[...bad.map((n) => `${n} (${files[n] ? "changed" : "missing"})`), ...extra.map((n) => `${n} (not listed)`)].join(", ")}`
      : `all ${listed.length} files match the manifest`,
  );

  const pdf = files["original.pdf"];
  const reportText = files["report.json"] ? strFromU8(files["report.json"]) : null;
  if (!pdf || reportText === null) {
    check(false, "original.pdf or report.json is missing");
    return out();
  }
  let report: DocumentReport;
  try {
    report = JSON.parse(reportText) as DocumentReport;
  } catch {
    check(false, "report.json is not JSON");
    return out();
  }

  // 2. the PDF is the document the report and the manifest name
  const pdfSha = sha256(pdf);
  check(
    pdfSha === manifest.document.sha256 && pdfSha === report.sha256,
    pdfSha === manifest.document.sha256 && pdfSha === report.sha256
      ? `original.pdf is the document (SHA-256 ${pdfSha})`
      : `original.pdf (SHA-256 ${pdfSha}) is not the document the manifest (${manifest.document.sha256}) and the report (${report.sha256}) name`,
  );

  // 3. the log entries, and the analysis entry that holds this report
  const logText = files["audit.jsonl"] ? strFromU8(files["audit.jsonl"]) : "";
  const chain = verifyExport(logText);
  check(
    chain.ok,
    chain.ok
      ? `the ${chain.entries} log entries verify (each on its hash, linked where consecutive; the log's head then was entry ${chain.head.seq})`
      : `the log entries do not verify: entry ${chain.broken!.seq}: ${chain.broken!.reason}`,
  );
  const entries = logText
    .split("\n")
    .filter((l) => l && !l.startsWith('{"head"'))
    .map((l) => JSON.parse(l) as AuditEntry);
  const reportSha = sha256(reportText);
  const holding = entries.filter(
    (e) => (e.action === "analysis" || e.action === "reanalysis") && (e.details as { reportSha256?: string }).reportSha256 === reportSha,
  );
  const latest = [...entries].reverse().find((e) => e.action === "analysis" || e.action === "reanalysis");
  check(
    holding.length > 0 && latest === holding[holding.length - 1] && entries.every((e) => e.documentId === manifest!.document.id),
    holding.length === 0
      ? `no analysis entry in the log holds report.json's SHA-256 (${reportSha})`
      : latest !== holding[holding.length - 1]
        ? `report.json is not the document's latest analysis (entry ${latest?.seq} is)`
        : entries.some((e) => e.documentId !== manifest!.document.id)
          ? "the log holds entries of another document"
          : `log entry ${holding[holding.length - 1]!.seq} (${holding[holding.length - 1]!.action}) holds report.json's SHA-256`,
  );

  const entry = holding[holding.length - 1];
  if (entry) {
    const why = disagreement(entry.details as AnalysisDetails, report);
    check(
      why === null,
      why === null
        ? `log entry ${entry.seq} records the verdict, content, category and signatures report.json gives`
        : `log entry ${entry.seq} and report.json disagree: ${why}`,
    );
  }

  // the entries are in the log: each inclusion proof against the signed head the archive carries
  const proofsText = files["log-proofs.json"] ? strFromU8(files["log-proofs.json"]) : null;
  if (proofsText === null) check(false, "the archive carries no log proofs (log-proofs.json): made by a kyso from before signed heads");
  else {
    try {
      const lp = JSON.parse(proofsText) as { head: KeptHead & { publicKey: string }; proofs: Array<{ seq: number; path: string[] }> };
      const pinned = opts.pinned ?? [];
      const sigOk = verifySignature(lp.head.publicKey, headMessage(lp.head.size, lp.head.root), lp.head.sig);
      const keyOk = pinned.length === 0 || pinned.includes(lp.head.publicKey);
      check(
        sigOk && keyOk,
        !sigOk
          ? `the log head in the archive (${lp.head.size} entries) does not verify with its key ${lp.head.keyId}`
          : !keyOk
            ? `the log head in the archive is signed by key ${lp.head.keyId}, which is not the instance key given with --key`
            : `the log head in the archive (${lp.head.size} entries) is signed by key ${lp.head.keyId}${pinned.length ? ", the instance key given" : " (the key the archive names: give the instance's with --key to be sure it is the instance's)"}`,
      );
      const bySeq = new Map(lp.proofs.map((p) => [p.seq, p.path]));
      const missing = entries.filter((e) => !bySeq.has(e.seq)).map((e) => e.seq);
      const failed = entries
        .filter(
          (e) =>
            bySeq.has(e.seq) &&
            !verifyInclusion(
              leafHash(e.hash),
              e.seq - 1,
              lp.head.size,
              bySeq.get(e.seq)!.map((h) => Buffer.from(h, "hex")),
              Buffer.from(lp.head.root, "hex"),
            ),
        )
        .map((e) => e.seq);
      check(
        missing.length === 0 && failed.length === 0,
        missing.length || failed.length
          ? `log entries not proven in the log's tree: ${[...missing.map((s) => `${s} (no proof)`), ...failed.map((s) => `${s} (the proof does not verify)`)].join(", ")}`
          : `each of the ${entries.length} log entries is in the log's tree of ${lp.head.size} entries (inclusion proofs verify)`,
      );
    } catch (e) {
      check(false, `log-proofs.json cannot be read: ${(e as Error).message}`);
    }
  }

  // 4. the verification, done again here
  let again: DocumentReport;
  try {
    again = await reanalyze(pdf, report.validationTime);
  } catch (e) {
    check(false, `original.pdf could not be verified again here: ${(e as Error).message}`);
    return out();
  }
  const same = decisive(again) === decisive(report);
  const here = `${again.engine.name} ${again.engine.version}, trust store ${again.engine.trustStore.slice(0, 12)}…`;
  const recorded = `${report.engine.name} ${report.engine.version}, trust store ${report.engine.trustStore.slice(0, 12)}…`;
  const note = here === recorded ? "" : ` (recorded with ${recorded}; checked with ${here})`;
  if (!same && again.engine.trustStore !== report.engine.trustStore && onlyTrustDiffers(report, again)) {
    needs = anchorOf(report, manifest as Manifest & { paths?: ArchivePaths });
    check(
      false,
      `verified again here at ${report.validationTime}, trust could not be established: the signatures are intact, but this machine's trust store does not hold the anchor they chain to${needs ? ` (${needs.subject}, SHA-256 ${needs.sha256.slice(0, 16)}…${needs.file ? `, in the archive as ${needs.file}` : ""})` : ""}; give the folder that holds it with --trust DIR: a trust-store difference, not a forgery${note}`,
    );
    return out();
  }
  check(
    same,
    same
      ? `verified again here at ${report.validationTime}: ${again.verdict}, ${again.signatures.length} signature(s), as recorded${note}`
      : `verified again here at ${report.validationTime}, the result differs from report.json: ${describeDifference(report, again)}${note}`,
  );
  return out();
}

type ArchivePaths = Array<{ signature: number; certificates: Array<{ sha256: string; file: string | null }> }>;

/** Every difference is a signature recorded valid that is only undetermined here for want of a chain. */
function onlyTrustDiffers(recorded: DocumentReport, again: DocumentReport): boolean {
  if (recorded.signatures.length !== again.signatures.length || recorded.content.kind !== again.content.kind) return false;
  return recorded.signatures.every((r, i) => {
    const a = again.signatures[i]!;
    if (decisiveSignature(a) === decisiveSignature(r)) return true;
    return (
      r.indication === "TOTAL_PASSED" &&
      a.indication === "INDETERMINATE" &&
      a.subIndication === "NO_CERTIFICATE_CHAIN_FOUND" &&
      JSON.stringify(a.integrity) === JSON.stringify(r.integrity) &&
      a.signer?.sha256 === r.signer?.sha256
    );
  });
}

/** The root of the first signature's recorded path, and where the archive keeps it. */
function anchorOf(report: DocumentReport, manifest: { paths?: ArchivePaths }): EvidenceCheck["needs"] {
  const s = report.signatures.find((x) => x.chain.path.length > 0);
  if (!s) return undefined;
  const sha = s.chain.path[s.chain.path.length - 1]!;
  const file = manifest.paths?.find((p) => p.signature === s.index)?.certificates.find((c) => c.sha256 === sha)?.file ?? null;
  return { subject: s.chain.anchor ?? s.signer?.issuer ?? "the path's root", sha256: sha, file };
}

function describeDifference(recorded: DocumentReport, again: DocumentReport): string {
  if (recorded.verdict !== again.verdict) return `verdict ${again.verdict}, recorded ${recorded.verdict}`;
  if (recorded.signatures.length !== again.signatures.length) return `${again.signatures.length} signature(s), recorded ${recorded.signatures.length}`;
  for (let i = 0; i < again.signatures.length; i++) {
    const a = decisiveSignature(again.signatures[i]!);
    const r = decisiveSignature(recorded.signatures[i]!);
    if (a !== r) return `signature ${i + 1}: here ${a}, recorded ${r}`;
  }
  return `content ${again.content.kind} / Decree 30 ${again.nd30.complete}, recorded ${recorded.content.kind} / ${recorded.nd30.complete}`;
}
