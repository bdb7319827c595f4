// The evidence archive of one document (GET /api/v1/documents/:id/evidence): a ZIP an auditor can keep and
// check without kyso. It holds the original PDF, the stored report exactly as recorded (its SHA-256 is in
// the log entry of the analysis), the human-readable report in both languages, the ETSI TS 119 102-2 XML
// validation report, the certificates of every
// path the report names, the document's log entries with the chain head, and a manifest of SHA-256s.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { zipSync, strToU8 } from "fflate";
import { auditLine, canonicalJson } from "../log/chain.js";
import type { AuditEntry } from "../log/entry.js";
import type { EntryProofs } from "../log/proof.js";
import type { LogReads } from "../store/ports.js";
import type { DocumentRow } from "../store/rows.js";
import type { TrustStore } from "../pki/trust-store.js";
import { documentCertificates } from "../verify/certificates.js";
import type { DocumentReport } from "../verify/report.js";
import { renderReportHtml } from "./report-html.js";
import { trustView, type TrustView } from "./report-trust.js";
import { etsiValidationReport } from "../verify/etsi-report.js";

/** What the archive is made of, read from the store on the API node (plain data: it crosses to a thread). */
export interface EvidenceJob {
  document: DocumentRow;
  senderName: string | null;
  /** where the original PDF is (read by the thread, never on the event loop) */
  pdfPath: string;
  /** the stored report text, byte for byte */
  reportJson: string;
  entries: AuditEntry[];
  /** certificates the trust store knows, by SHA-256 (a path may end at one the PDF does not carry) */
  known: Array<[string, Uint8Array]>;
  /** the server's trust store, whose roots the report pages name when the report was made under it */
  trust: TrustView;
  head: { seq: number; hash: string };
  /** the entries' inclusion proofs against the signed head at `head` (null: an empty log, or no entries) */
  proofs: EntryProofs | null;
}

const sha256 = (b: Uint8Array | string) => createHash("sha256").update(b).digest("hex");

function pem(der: Uint8Array): string {
  const b64 = Buffer.from(der).toString("base64");
  return `-----BEGIN CERTIFICATE-----\n${b64.replace(/.{1,64}/g, "$&\n")}-----END CERTIFICATE-----\n`;
}

/**
 * The store's part, read through the ports: the log's head, read after the entries (so it covers them all),
 * and the entries' proofs against it (a few reads of stored subtrees); the trust store's certificates.
 */
export async function evidenceJob(
  log: LogReads,
  x: { document: DocumentRow; senderName: string | null; pdfPath: string; reportJson: string; entries: AuditEntry[]; trust: TrustStore },
): Promise<EvidenceJob> {
  const head = await log.head();
  const proofs =
    head.seq > 0 && x.entries.length
      ? await log.proveEntries(
          x.entries.map((e) => e.seq),
          head.seq,
        )
      : null;
  return {
    document: x.document,
    senderName: x.senderName,
    pdfPath: x.pdfPath,
    reportJson: x.reportJson,
    entries: x.entries,
    known: [...x.trust.anchors, ...x.trust.helpers].map((c) => [c.sha256, c.der]),
    trust: trustView(x.trust),
    head: { seq: head.seq, hash: head.hash },
    proofs,
  };
}

/**
 * The archive from its job: reading the PDF for its certificates, hashing and zipping it take seconds for
 * a large file (1.7 s of the event loop for 45 MB when the API did it), so this runs in evidence-thread.ts,
 * from the job alone: the store was read on the API's side, through its ports.
 */
export function buildEvidence(e: EvidenceJob): Uint8Array {
  const pdf = new Uint8Array(readFileSync(e.pdfPath));
  const report = JSON.parse(e.reportJson) as DocumentReport;
  const known = documentCertificates(pdf);
  for (const [fp, der] of e.known) known.set(fp, der);
  const files: Record<string, Uint8Array> = {
    "original.pdf": pdf,
    "report.json": strToU8(e.reportJson),
    "report.vi.html": strToU8(renderReportHtml({ document: e.document, senderName: e.senderName, report, entries: e.entries, trust: e.trust }, "vi")),
    "report.en.html": strToU8(renderReportHtml({ document: e.document, senderName: e.senderName, report, entries: e.entries, trust: e.trust }, "en")),
    // the same verdicts as an ETSI TS 119 102-2 validation report, for EU tools
    "report.xml": strToU8(etsiValidationReport(report)),
  };
  const paths: Array<{ signature: number; certificates: Array<{ sha256: string; file: string | null }> }> = [];
  for (const s of report.signatures) {
    paths.push({
      signature: s.index,
      certificates: s.chain.path.map((fp, i) => {
        const der = known.get(fp);
        if (!der) return { sha256: fp, file: null };
        const file = `certificates/signature-${s.index + 1}/${i}-${fp.slice(0, 16)}.pem`;
        files[file] = strToU8(pem(der));
        return { sha256: fp, file };
      }),
    });
  }
  // each entry's place in the log's Merkle tree, against the signed head of the log when the route ran
  if (e.proofs) files["log-proofs.json"] = strToU8(JSON.stringify(e.proofs, null, 1) + "\n");
  files["audit.jsonl"] = strToU8(
    e.entries.map((x) => auditLine(x) + "\n").join("") +
      canonicalJson({ head: { seq: e.head.seq, hash: e.head.hash, entries: e.entries.length, complete: false, filter: { documentId: e.document.id } } }) +
      "\n",
  );
  const manifest = {
    document: { id: e.document.id, sha256: e.document.sha256, sender: e.document.sender, number: e.document.number, receivedAt: e.document.received_at },
    createdAt: new Date().toISOString(),
    files: Object.fromEntries(Object.entries(files).map(([name, bytes]) => [name, sha256(bytes)])),
    paths,
  };
  files["manifest.json"] = strToU8(JSON.stringify(manifest, null, 2) + "\n");
  // PDFs and certificates barely compress; the reports do
  return zipSync(Object.fromEntries(Object.entries(files).map(([n, b]) => [n, [b, { level: n.endsWith(".pdf") ? 0 : 6 }]])));
}
