// The human-readable report of one document (GET /api/v1/documents/:id/report.html): per signature who
// signed, when and how that is proved, what it covers, what changed after, and the verdict in plain words.
// One self-contained page (inline style, system fonts), so it also goes into the evidence archive as is.
import type { AuditEntry } from "../store/sqlite/audit.js";
import type { DocumentRow } from "../store/sqlite/documents.js";
import type { SignerBinding } from "../compliance/signer-binding.js";
import type { Lang } from "../verify/messages.js";
import { proofText, type ProofBasis } from "../verify/proof-basis.js";
import type { DocumentReport, ReportFinding, SignatureReport } from "../verify/report.js";
import {
  ACTIONS,
  BINDING,
  CATEGORIES,
  CONTENT,
  COUNTED,
  COVERAGE,
  counted,
  ERRORS,
  MODIFICATIONS,
  REVOCATION,
  SIGNER_KINDS,
  UI,
  word,
} from "./report-words.js";
import { moment } from "./exports/format.js";
import { changeTexts, findingTexts } from "./report-texts.js";

export { findingTexts };
import { passedUnchecked, revocationUnchecked, signatureStatement, verdictStatement } from "./report-verdict.js";
import { trustRows, type TrustView } from "./report-trust.js";
import { KEYBOARD_STYLE, MAIN_OPEN, skipLink } from "./page.js";

/** an instant in Vietnam's time, to the second (the page says so once) */
const at = (iso: string | null | undefined): string => (iso ? moment(iso, true) : "");

export interface ReportPage {
  document: DocumentRow;
  senderName: string | null;
  report: DocumentReport;
  entries: AuditEntry[];
  /** the trust store the server uses now: the page names its roots when the report was made under it */
  trust?: TrustView;
}

const esc = (s: unknown): string => String(s ?? "").replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * Findings a row of the page already states (the proof of existence, revocation, the anchor reached):
 * left out of the details so that each is said once. Reports stored before findings had keys are matched
 * by their English text.
 */
const STATED_KEYS = new Set(["trust.judgedAt", "trust.noRevocation", "trust.anchored"]);
const STATED_TEXT = /^(judged at |no revocation data could be checked|certificate path ends at the trust anchor )/;

export function unstatedFindings(
  findings: readonly ReportFinding[] | undefined,
  messages: readonly string[],
): { findings: ReportFinding[] | undefined; messages: string[] } {
  const keep = messages.map((m, i) => (findings && findings.length === messages.length ? !STATED_KEYS.has(findings[i]!.key) : !STATED_TEXT.test(m)));
  return {
    findings: findings && findings.length === messages.length ? findings.filter((_, i) => keep[i]) : undefined,
    messages: messages.filter((_, i) => keep[i]),
  };
}

/** Who sealed it with respect to its sender (issue 24): the words, the name the certificate gives, what decided. */
function sealedRow(d: DocumentRow, lang: Lang, row: (k: string, v: string) => string): string {
  if (!d.signer_binding) return "";
  const b = JSON.parse(d.signer_binding) as SignerBinding;
  const who = b.name ? ` — ${esc(b.name)}${b.agency ? ` (${esc(b.agency)})` : ""}` : "";
  const candidates = b.candidates?.length ? ` [${esc(b.candidates.join(", "))}]` : "";
  return row(
    "sealedBy",
    `<span id="binding" data-status="${esc(b.status)}">${esc(word(BINDING, b.status, lang))}${who}${candidates}</span> <span class="note">(${esc(b.rule)})</span>`,
  );
}

/**
 * The document's receipt, stated as receipt: when kyso received it (or the trusted trace time it was
 * given). Whether that time proves a signature existed is each signature's own proof-of-existence line.
 */
function receiptRow(r: DocumentReport, row: (k: string, v: string) => string): string {
  if (!r.existence) return "";
  // by its key; a report stored before the key says it in English only
  const kind =
    r.existence.basis?.kind ??
    (r.existence.proof === "kyso's own receipt of the document"
      ? "receipt"
      : r.existence.proof.startsWith("the exchange's trace time")
        ? "exchange-trace"
        : "received");
  const basis = kind === "receipt" ? "receipt" : kind === "exchange-trace" ? "receipt.exchange-trace" : "receipt.given";
  return row(basis, esc(at(r.existence.time)));
}

/** One checked file (POST /api/v1/check): nothing of a register applies to it, and nothing of it is kept. */
export interface CheckedFilePage {
  report: DocumentReport;
  /** the name the file was chosen under, when the browser gave one */
  fileName: string | null;
  /** when kyso checked it (its own receipt of the bytes) */
  checkedAt: string;
  trust?: TrustView;
}

/** The report page's style: what its content needs (the check page shows that content in its own body too), then the page's body. */
export const REPORT_CONTENT_STYLE = `h2 { font-size: 1.2em; margin-top: 1.5em; border-bottom: 1px solid #ccc; }
table { border-collapse: collapse; margin: 0.5em 0; } th, td { text-align: left; vertical-align: top; padding: 0.2em 0.8em 0.2em 0; }
th { font-weight: 600; white-space: nowrap; } .verdict { font-size: 1.2em; font-weight: 700; padding: 0.4em 0.6em; display: inline-block; }
.ok { background: #e3f4e1; } .bad { background: #fbe1e1; } .warn { background: #fdf3d8; } code { font-size: 0.85em; word-break: break-all; }
.verdict.ok { border-left: 0.4em solid #2e7d32; } .verdict.bad { border-left: 0.4em solid #c62828; } .verdict.warn { border-left: 0.4em solid #b26a00; }
.verdict .why { display: block; font-size: 0.8em; font-weight: 400; margin-top: 0.3em; }
ul { margin: 0.2em 0; } .log td { font-size: 0.9em; } .note { color: #555; font-size: 0.9em; }
table.certs td { font-size: 0.85em; } table.certs code { font-size: 0.95em; } details.certs { margin: 0.5em 0; }
td, th, li, p, summary { overflow-wrap: anywhere; }
@media (max-width: 40em) { table, tbody, tr, th, td { display: block; } th { white-space: normal; } td { padding-left: 0.6em; }
  table.certs td, .log td, code, .note { font-size: 0.8rem; } table.certs code { font-size: 0.8rem; } .verdict { display: block; } }`;

const PAGE_STYLE = `body { font-family: "DejaVu Sans", "Noto Sans", Arial, sans-serif; margin: 2em; color: #222; max-width: 60em; }
h1 { font-size: 1.5em; }
${REPORT_CONTENT_STYLE}
@media (max-width: 40em) { body { margin: 0.8em; } }
${KEYBOARD_STYLE}`;

export function renderReportHtml(p: ReportPage, lang: Lang): string {
  const t = (k: string) => word(UI, k, lang);
  const d = p.document;
  const r = p.report;
  const row = rowOf(lang);
  const table = `<h2>${esc(t("document"))}</h2>
<table>
${row("number", esc(d.number ?? ""))}
${row("sender", `${esc(p.senderName ?? d.sender)} (${esc(d.sender)})`)}
${row("subject", esc(d.subject ?? ""))}
${row("received", `${esc(at(d.received_at))}${r.existence?.declaredReceivedAt ? ` <span class="note">(${esc(t("declaredNote"))})</span>` : ""}`)}
${receiptRow(r, row)}
${fileRow(r, lang, row)}
${row("content", esc(word(CONTENT, r.content.kind, lang)))}
${row("nd30", esc(t(r.nd30.complete ? "yes" : "no")))}
${sealedRow(d, lang, row)}
${row("category", esc(word(CATEGORIES, d.category, lang)))}
${row("counts", esc(t(d.counts === 1 ? "yes" : "no")))}
</table>`;
  const log = `<h2>${esc(t("log"))}</h2>
<table class="log">
<tr><th>#</th><th>${esc(t("at"))}</th><th>${esc(t("action"))}</th><th>${esc(t("actor"))}</th><th>${esc(t("hash"))}</th></tr>
${p.entries.map((e) => `<tr><td>${e.seq}</td><td>${esc(at(e.at))}</td><td>${esc(word(ACTIONS, e.action, lang))}</td><td>${esc(e.actor)}</td><td><code>${esc(e.hash.slice(0, 16))}…</code></td></tr>`).join("\n")}
</table>`;
  return reportPage(lang, `${t("title")}: ${d.number ?? d.id}`, r, p.trust, table, log);
}

/**
 * The page of one file checked alone: the file (its name, size, SHA-256, what it holds), when kyso checked
 * it, said once that nothing was kept; none of a register's fields (number, sender, receipt, category,
 * counted), and no log, since nothing was logged.
 */
export function renderCheckedFileHtml(p: CheckedFilePage, lang: Lang): string {
  const t = (k: string) => word(UI, k, lang);
  const r = p.report;
  const row = rowOf(lang);
  const table = `<h2>${esc(t("checkedFile"))}</h2>
<table id="checked-file">
${p.fileName ? row("fileName", esc(p.fileName)) : ""}
${row("size", esc(counted(r.bytes, COUNTED.bytes, lang)))}
${row("sha256", `<code>${esc(r.sha256)}</code>`)}
${r.pdf ? row("pdfHolds", esc(`${counted(r.pdf.pages ?? null, COUNTED.pages, lang)}, ${counted(r.pdf.revisions, COUNTED.revisions, lang)}`)) : ""}
${row("content", esc(word(CONTENT, r.content.kind, lang)))}
${row("nd30", esc(t(r.nd30.complete ? "yes" : "no")))}
${row("checkedAt", esc(at(p.checkedAt)))}
</table>
<p class="note" id="checked-alone">${esc(t("checkedAlone"))}</p>`;
  return reportPage(lang, `${t("title")}: ${p.fileName ?? r.sha256.slice(0, 16)}`, r, p.trust, table, "");
}

const rowOf = (lang: Lang) => (k: string, v: string) => `<tr><th>${esc(word(UI, k, lang))}</th><td>${v}</td></tr>`;

/** The file's row of a stored document's table: its hash, size, pages and revisions. */
function fileRow(r: DocumentReport, lang: Lang, row: (k: string, v: string) => string): string {
  const holds = r.pdf ? `, ${counted(r.pdf.pages ?? null, COUNTED.pages, lang)}, ${counted(r.pdf.revisions, COUNTED.revisions, lang)}` : "";
  return row("file", `<code>${esc(r.sha256)}</code>, ${esc(counted(r.bytes, COUNTED.bytes, lang))}${esc(holds)}`);
}

/** The page around its document part: the verdict above it, its notes, the analysis and each signature under it, then `log`. */
function reportPage(lang: Lang, title: string, r: DocumentReport, trust: TrustView | undefined, documentPart: string, log: string): string {
  const t = (k: string) => word(UI, k, lang);
  const row = rowOf(lang);
  const verdict = verdictStatement(r, lang);
  // the reader's own message stays as written (a technical detail), after the plain words for its code
  const error = r.error
    ? lang === "en"
      ? esc(r.error.message)
      : `${esc(word(ERRORS, r.error.code, lang))} <span class="note">(${esc(t("technical"))}: <code>${esc(r.error.message)}</code>)</span>`
    : null;
  const docMessages = [...(error ? [error] : []), ...findingTexts(r.findings, r.messages, lang).map(esc)];
  return `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>
${PAGE_STYLE}
</style>
</head>
<body>
${skipLink(lang)}
${MAIN_OPEN}
<h1>${esc(t("title"))}</h1>
<p class="note">${esc(t("timesNote"))}</p>
<p class="verdict ${verdict.tone}" id="verdict" data-state="${verdict.state}">${esc(t("verdict"))}: ${esc(verdict.text)}${verdict.note ? `<span class="why">${esc(verdict.note)}</span>` : ""}</p>
${documentPart}
${docMessages.length ? `<h2>${esc(t("documentMessages"))}</h2><ul>${docMessages.map((m) => `<li>${m}</li>`).join("")}</ul>` : ""}
<h2>${esc(t("analysis"))}</h2>
<table>
${row("engine", esc(`${r.engine.name} ${r.engine.version}`))}
${trustRows(r.engine.trustStore, trust, lang, row)}
${row("validationTime", esc(at(r.validationTime)))}
</table>
${r.signatures.length === 0 ? `<p>${esc(t("noSignatures"))}</p>` : r.signatures.map((s) => signatureSection(s, r, lang)).join("\n")}
${log}
</main>
</body>
</html>
`;
}

/** The times a signature states side by side (CMS signingTime, /M, time-stamp), with the 7-hour pattern named. */
function statedTimes(c: NonNullable<SignatureReport["claimedTimes"]>, lang: Lang): string {
  const t = (k: string) => word(UI, k, lang);
  const item = (k: string, v: string | null) => (v ? `<li>${esc(t(k))}: ${esc(at(v))}</li>` : "");
  return `<ul>${item("timeCms", c.signingTime)}${item("timeM", c.pdfM)}${item("timeTs", c.timestamp)}</ul>${c.localAsUtc ? `<p>${esc(t("localAsUtc"))}</p>` : ""}`;
}

/** The one line per signature that says what proves when it existed (and so the time its certificates are judged at). */
function proofOfExistence(s: SignatureReport, r: DocumentReport, lang: Lang): string {
  // reports stored before judgedAt existed: their time-stamp, else the document's receipt
  const proof: { time: string; proof: string; basis?: ProofBasis } | null =
    s.judgedAt ??
    (s.timestamp?.valid ? { time: s.timestamp.time, proof: "", basis: { kind: "signature-timestamp", tsa: s.timestamp.tsa } } : (r.existence ?? null));
  return proof
    ? `${esc(at(proof.time))}: ${esc(proofWords(proof, lang))} <span class="note">(${esc(word(UI, "judgedHere", lang))})</span>`
    : esc(word(UI, "existenceNone", lang));
}

/** What proves a time, in the reader's language: from the report's key, else (a report stored before it) its English translated. */
function proofWords(p: { proof: string; basis?: ProofBasis }, lang: Lang): string {
  // a report stored before the key: its English, as stored
  return p.basis ? proofText(p.basis, lang) : p.proof;
}

/** Whether the certificate was revoked, by what; a pass without it is said as the reservation it is. */
function revocationText(s: SignatureReport, lang: Lang): string {
  const by = s.revocation.checkedBy !== "none" && s.revocation.status !== "unknown" ? ` (${word(REVOCATION, s.revocation.checkedBy, lang)})` : "";
  const status = s.revocation.status === "unknown" && s.kind === "signature" && revocationUnchecked(s) === "off" ? "off" : s.revocation.status;
  const text = `${word(REVOCATION, status, lang)}${by}`;
  return passedUnchecked(s) ? `<span class="warn">${esc(text)}</span>` : esc(text);
}

function signatureSection(s: SignatureReport, r: DocumentReport, lang: Lang): string {
  const t = (k: string) => word(UI, k, lang);
  const row = (k: string, v: string) => `<tr><th>${esc(t(k))}</th><td>${v}</td></tr>`;
  const who = s.signer
    ? `${esc(s.signer.commonName ?? s.signer.subject)}${s.signer.organization && s.signer.organization !== s.signer.commonName ? `, ${esc(s.signer.organization)}` : ""} (${esc(word(SIGNER_KINDS, s.signer.kind, lang))})`
    : esc(t("noTime"));
  // what the signer claims; what proves it is the proof-of-existence line
  const stated = s.claimedTimes && (s.claimedTimes.signingTime || s.claimedTimes.pdfM);
  const claimed = !stated && s.claimedSigningTime ? row("when", `${esc(at(s.claimedSigningTime))} (${esc(t("claimed"))})`) : "";
  const result = signatureStatement(s, lang);
  const changes = `${esc(word(MODIFICATIONS, s.modifications.level, lang))}${
    s.modifications.details.length
      ? `<ul>${changeTexts(s.modifications, lang)
          .slice(0, 20)
          .map((x) => `<li>${esc(x)}</li>`)
          .join("")}</ul>`
      : ""
  }`;
  // a path that reaches an anchor but fails at the time judged (an expired certificate) says so, rather
  // than "no trusted anchor" under a table that names the anchor
  const chain = s.chain.trusted
    ? esc(word(UI, "trustedTo", lang).replace("{anchor}", s.chain.anchor ?? ""))
    : s.chain.anchor
      ? esc(word(UI, "anchorNotValid", lang).replace("{anchor}", s.chain.anchor))
      : esc(t("untrusted"));
  const details = unstatedFindings(s.findings, s.messages);
  return `<h2 class="signature">${esc(t(s.kind === "signature" ? "signature" : "timestampSig"))} ${s.index + 1}${s.field ? ` (${esc(s.field)})` : ""}</h2>
<table>
${row("signer", who)}
${s.signer ? row("issuer", esc(s.signer.issuer)) : ""}
${claimed}
${stated ? row("statedTimes", statedTimes(s.claimedTimes!, lang)) : ""}
${row("existence", proofOfExistence(s, r, lang))}
${row("covers", `${esc(word(UI, "revisionOf", lang).replace("{n}", String(s.revision)).replace("{m}", String(s.revisions)))}, ${esc(word(COVERAGE, s.coverage, lang))}`)}
${row("after", changes)}
${row("chain", chain)}
${s.kind === "signature" ? row("revocation", revocationText(s, lang)) : ""}
${row("result", `<span class="${result.tone}" data-state="${result.state}">${esc(result.text)}</span>`)}
</table>
${certificateTable(s, lang)}
${
  details.messages.length
    ? `<p>${esc(t("details"))}:</p><ul>${findingTexts(details.findings, details.messages, lang)
        .map((m) => `<li>${esc(m)}</li>`)
        .join("")}</ul>`
    : ""
}`;
}

/** Each certificate of the path, as a signature panel lists it (reports stored before: fingerprints only). */
function certificateTable(s: SignatureReport, lang: Lang): string {
  const t = (k: string) => word(UI, k, lang);
  if (s.chain.path.length === 0) return "";
  const last = s.chain.path.length - 1;
  const role = (i: number): string =>
    t(i === 0 ? "roleSigner" : i === last ? (s.chain.trusted || s.chain.anchor ? "roleAnchor" : "roleLast") : "roleIntermediate");
  const certs = s.chain.certificates ?? s.chain.path.map((sha256) => ({ sha256, subject: "", issuer: "", serialNumber: "", notBefore: "", notAfter: "" }));
  const rows = certs.map(
    (c, i) =>
      `<tr><td>${i + 1}. ${esc(role(i))}</td><td>${esc(c.subject)}</td><td>${esc(c.issuer)}</td><td>${c.notBefore ? esc(t("validityRange").replace("{from}", at(c.notBefore)).replace("{to}", at(c.notAfter))) : ""}</td><td><code>${esc(c.serialNumber)}</code></td><td><code>${esc(c.sha256.replace(/(..)(?!$)/g, "$1:").toUpperCase())}</code></td></tr>`,
  );
  return `<details class="certs"><summary>${esc(t("certificates"))} (${certs.length})</summary>
<table class="certs"><tr><th>${esc(t("certRole"))}</th><th>${esc(t("certSubject"))}</th><th>${esc(t("certIssuer"))}</th><th>${esc(t("validity"))}</th><th>${esc(t("serial"))}</th><th>${esc(t("fingerprint"))}</th></tr>
${rows.join("\n")}
</table></details>`;
}
