// The readable form of a DocumentReport for a terminal. Reads the report only; decides nothing.
import type { DocumentReport, SignatureReport } from "../verify/report.js";

const VERDICT_WORDS: Record<DocumentReport["verdict"], string> = {
  "signed-valid": "SIGNED, VALID",
  "signed-invalid": "SIGNED, INVALID",
  "signed-indeterminate": "SIGNED, INDETERMINATE",
  unsigned: "UNSIGNED",
  unreadable: "UNREADABLE",
};

export function renderText(r: DocumentReport): string {
  const lines: string[] = [];
  lines.push(`${r.file ?? r.sha256}: ${VERDICT_WORDS[r.verdict]}`);
  if (r.error) {
    lines.push(`  error ${r.error.code}: ${r.error.message}`);
    return lines.join("\n");
  }
  if (r.pdf)
    lines.push(`  PDF ${r.pdf.version}, ${r.pdf.pages ?? "?"} page(s), ${r.pdf.revisions} revision(s), ${r.bytes} bytes, sha256 ${r.sha256.slice(0, 16)}…`);
  if (r.signatures.length === 0) lines.push("  no signatures");
  for (const s of r.signatures) lines.push(...signatureLines(s));
  for (const m of r.messages) lines.push(`  note: ${m}`);
  lines.push(`  content: ${r.content.kind}${r.content.pagesExamined ? ` (${r.content.pagesExamined} page(s) examined)` : ""}${contentNote(r)}`);
  lines.push(`  judged at ${r.validationTime}`);
  return lines.join("\n");
}

function signatureLines(s: SignatureReport): string[] {
  const what = s.kind === "document-timestamp" ? "document time-stamp" : "signature";
  const out = [
    `  #${s.index + 1} ${what}${s.field ? ` '${s.field}'` : ""} (${s.subFilter || "no SubFilter"}), covers revision ${s.revision} of ${s.revisions} (${s.coverage})`,
  ];
  if (s.signer)
    out.push(
      `     signer: ${s.signer.subject} [${s.signer.kind}]`,
      `     issued by: ${s.signer.issuer}, valid ${s.signer.notBefore.slice(0, 10)} to ${s.signer.notAfter.slice(0, 10)}`,
    );
  out.push(`     integrity ${s.integrity}, cryptographic ${s.cryptographic}, ${s.digestAlgorithm} / ${s.signatureAlgorithm}`);
  if (s.claimedSigningTime) out.push(`     claimed signing time ${s.claimedSigningTime} (the signer's claim, not proof)`);
  const c = s.claimedTimes;
  if (c && (c.signingTime || c.pdfM))
    out.push(
      `     times stated: CMS signingTime ${c.signingTime ?? "-"}, /M ${c.pdfM ?? "-"}, time-stamp ${c.timestamp ?? "-"}${c.localAsUtc ? " (signingTime is Vietnam time written as UTC: 7 hours off, not back-dating)" : ""}`,
    );
  if (s.timestamp)
    out.push(`     time-stamp ${s.timestamp.time} ${s.timestamp.valid ? "valid" : "NOT valid"}${s.timestamp.tsa ? ` by ${s.timestamp.tsa}` : ""}`);
  out.push(`     changes after signing: ${s.modifications.level}`);
  for (const d of s.modifications.details.slice(0, 5)) out.push(`       - ${d}`);
  out.push(`     => ${s.indication}${s.subIndication ? ` / ${s.subIndication}` : ""}`);
  for (const m of s.messages) out.push(`       · ${m}`);
  return out;
}

function contentNote(r: DocumentReport): string {
  const ev = r.content.evidence as { message?: string; text?: { searchable?: boolean; vietnamese?: boolean; error?: string } };
  if (ev.message) return `: ${ev.message}`;
  const t = ev.text;
  if (!t || t.error) return "";
  return t.searchable ? `, text searchable${t.vietnamese ? " (Vietnamese)" : ""}` : ", text without a Unicode mapping (not searchable)";
}
