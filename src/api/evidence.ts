// The evidence archive of one document (GET /api/v1/documents/:id/evidence): a ZIP an auditor can keep and
// check without kyso. It holds the original PDF, the stored report exactly as recorded (its SHA-256 is in
// the log entry of the analysis), the human-readable report in both languages, the ETSI TS 119 102-2 XML
// validation report, the certificates of every
// path the report names, the document's log entries with the chain head, and a manifest of SHA-256s.
import { createHash } from "node:crypto";
import { zipSync, strToU8 } from "fflate";
import { auditHead, auditLine, canonicalJson, type AuditEntry } from "../store/audit.js";
import { proveEntries } from "../store/heads.js";
import type { DocumentRow } from "../store/documents.js";
import type { TrustStore } from "../pki/trust-store.js";
import { documentCertificates } from "../verify/certificates.js";
import type { DocumentReport } from "../verify/report.js";
import type { Db } from "../store/db.js";
import { renderReportHtml } from "./report-html.js";
import { etsiValidationReport } from "../verify/etsi-report.js";

export interface EvidenceInput {
  db: Db;
  document: DocumentRow;
  senderName: string | null;
  pdf: Uint8Array;
  /** the stored report text, byte for byte */
  reportJson: string;
  entries: AuditEntry[];
  trust: TrustStore;
}

const sha256 = (b: Uint8Array | string) => createHash("sha256").update(b).digest("hex");

function pem(der: Uint8Array): string {
  const b64 = Buffer.from(der).toString("base64");
  return `-----BEGIN CERTIFICATE-----\n${b64.replace(/.{1,64}/g, "$&\n")}-----END CERTIFICATE-----\n`;
}

export function evidenceArchive(e: EvidenceInput): Uint8Array {
  const report = JSON.parse(e.reportJson) as DocumentReport;
  const known = documentCertificates(e.pdf);
  for (const c of [...e.trust.anchors, ...e.trust.helpers]) known.set(c.sha256, c.der);
  const files: Record<string, Uint8Array> = {
    "original.pdf": e.pdf,
    "report.json": strToU8(e.reportJson),
    "report.vi.html": strToU8(renderReportHtml({ document: e.document, senderName: e.senderName, report, entries: e.entries }, "vi")),
    "report.en.html": strToU8(renderReportHtml({ document: e.document, senderName: e.senderName, report, entries: e.entries }, "en")),
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
  const head = auditHead(e.db);
  // each entry's place in the log's Merkle tree, against the signed head of the log as it is now
  if (head.seq > 0 && e.entries.length) files["log-proofs.json"] = strToU8(JSON.stringify(proveEntries(e.db, e.entries.map((x) => x.seq), head.seq), null, 1) + "\n");
  files["audit.jsonl"] = strToU8(e.entries.map((x) => auditLine(x) + "\n").join("") + canonicalJson({ head: { seq: head.seq, hash: head.hash, entries: e.entries.length, complete: false, filter: { documentId: e.document.id } } }) + "\n");
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
