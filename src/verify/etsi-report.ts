// The document report as an ETSI TS 119 102-2 validation report (`vr:ValidationReport`, schema v1.4.1),
// for auditors whose tools read EU DSS-style XML: one SignatureValidationReport per signature and
// document time-stamp, with the same main and sub-indication as the JSON report, the time it was judged
// at and what proves it, the signed attributes kyso reads, the signer, the certificate chain, and kyso's
// messages as additional report data. Certificates and the document are validation objects identified by
// their SHA-256. A document without any signature has no ETSI indication: its one report says so under
// kyso's own URN, never a made-up ETSI result.
import type { DocumentReport, SignatureReport } from "./report.js";
import { FOUND_BY_VALIDATION, type ProofBasis } from "./proof-basis.js";

const NS = {
  vr: "http://uri.etsi.org/19102/v1.4.1#",
  ds: "http://www.w3.org/2000/09/xmldsig#",
  tsl: "http://uri.etsi.org/02231/v2#",
};
const SHA256 = "http://www.w3.org/2001/04/xmlenc#sha256";
const MAIN = { TOTAL_PASSED: "total-passed", TOTAL_FAILED: "total-failed", INDETERMINATE: "indeterminate" } as const;
const NO_SIGNATURE = "urn:kyso:indication:no-signature";

function esc(s: string): string {
  // XML 1.0 allows no control characters but tab, LF and CR: a hostile field name must not break the file
  // eslint-disable-next-line no-control-regex
  return s
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, "\ufffd")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;");
}

const b64 = (hex: string): string => Buffer.from(hex, "hex").toString("base64");
const certId = (sha256: string): string => `C-${sha256}`;
/** an xs:dateTime, or null for a time kyso could not read as one */
function dateTime(s: string | null | undefined): string | null {
  if (!s) return null;
  const t = Date.parse(s);
  return Number.isFinite(t) ? new Date(t).toISOString() : null;
}

/** How the time a signature was judged at is proved (TS 119 102-2 §4.3.3: POE types). */
function typeOfProof(judged: { proof: string; basis?: ProofBasis }): string {
  // a time-stamp kyso validated, or the current time, is found by the validation; any other time was given
  // (by its key; a report stored before the key, by its English)
  const found = judged.basis ? FOUND_BY_VALIDATION.has(judged.basis.kind) : /time-stamp|^now/.test(judged.proof);
  return found ? "urn:etsi:019102:poetype:validation" : "urn:etsi:019102:poetype:provided";
}

function digest(sha256Hex: string): string {
  return `<vr:DigestAlgAndValue><ds:DigestMethod Algorithm="${SHA256}"/><ds:DigestValue>${b64(sha256Hex)}</ds:DigestValue></vr:DigestAlgAndValue>`;
}

function reportData(type: string, value: string): string {
  return `<vr:ReportData><vr:Type>${type}</vr:Type><vr:Value>${esc(value)}</vr:Value></vr:ReportData>`;
}

function signatureReport(r: DocumentReport, s: SignatureReport): string {
  const lines: string[] = ["  <vr:SignatureValidationReport>"];
  lines.push(
    `    <vr:SignatureIdentifier id="S-${s.index}"><vr:HashOnly>false</vr:HashOnly><vr:DocHashOnly>false</vr:DocHashOnly>${s.field ? `<vr:DAIdentifier>${esc(s.field)}</vr:DAIdentifier>` : ""}</vr:SignatureIdentifier>`,
  );
  const validation = dateTime(r.validationTime) ?? new Date(0).toISOString();
  const judged = s.judgedAt ? dateTime(s.judgedAt.time) : null;
  lines.push(
    `    <vr:ValidationTimeInfo><vr:ValidationTime>${validation}</vr:ValidationTime><vr:BestSignatureTime><vr:POETime>${judged ?? validation}</vr:POETime><vr:TypeOfProof>${s.judgedAt ? typeOfProof(s.judgedAt) : "urn:etsi:019102:poetype:validation"}</vr:TypeOfProof></vr:BestSignatureTime></vr:ValidationTimeInfo>`,
  );
  lines.push(`    <vr:SignersDocument>${digest(r.sha256)}<vr:SignersDocumentRef VOReference="D-1"/></vr:SignersDocument>`);
  const attrs: string[] = [];
  const claimed = dateTime(s.claimedSigningTime);
  if (claimed) attrs.push(`<vr:SigningTime Signed="true"><vr:Time>${claimed}</vr:Time></vr:SigningTime>`);
  const ts = s.timestamp ? dateTime(s.timestamp.time) : null;
  if (ts)
    attrs.push(
      s.kind === "document-timestamp"
        ? `<vr:DocTimeStamp><vr:TimeStampValue>${ts}</vr:TimeStampValue></vr:DocTimeStamp>`
        : `<vr:SignatureTimeStamp><vr:TimeStampValue>${ts}</vr:TimeStampValue></vr:SignatureTimeStamp>`,
    );
  if (s.subFilter) attrs.push(`<vr:SubFilter Signed="true"><vr:SubFilterElement>${esc(s.subFilter)}</vr:SubFilterElement></vr:SubFilter>`);
  if (s.byteRange.length && s.byteRange.every((n) => Number.isSafeInteger(n))) attrs.push(`<vr:ByteRange>${s.byteRange.join(" ")}</vr:ByteRange>`);
  if (attrs.length) lines.push(`    <vr:SignatureAttributes>${attrs.join("")}</vr:SignatureAttributes>`);
  if (s.signer)
    lines.push(
      `    <vr:SignerInformation><vr:SignerCertificate VOReference="${certId(s.signer.sha256)}"/><vr:Signer>${esc(s.signer.subject)}</vr:Signer></vr:SignerInformation>`,
    );
  lines.push("    <vr:SignatureValidationStatus>");
  lines.push(`      <vr:MainIndication>urn:etsi:019102:mainindication:${MAIN[s.indication]}</vr:MainIndication>`);
  if (s.subIndication) lines.push(`      <vr:SubIndication>urn:etsi:019102:subindication:${s.subIndication}</vr:SubIndication>`);
  const data: string[] = [];
  const path = s.chain.path;
  if (path.length) {
    const anchor = s.chain.anchor !== null && path.length > 1 ? path[path.length - 1] : undefined;
    const middle = path.slice(1, anchor ? -1 : undefined);
    data.push(
      `<vr:CertificateChain><vr:SigningCertificate VOReference="${certId(path[0]!)}"/>${middle.map((c) => `<vr:IntermediateCertificate VOReference="${certId(c)}"/>`).join("")}${anchor ? `<vr:TrustAnchor VOReference="${certId(anchor)}"/>` : ""}</vr:CertificateChain>`,
    );
  }
  const extra = [
    reportData("urn:kyso:integrity", s.integrity),
    reportData("urn:kyso:cryptographic", s.cryptographic),
    reportData("urn:kyso:coverage", s.coverage),
    reportData("urn:kyso:modifications", s.modifications.level),
    reportData("urn:kyso:revocation", `${s.revocation.status} (${s.revocation.checkedBy})`),
    ...(s.judgedAt ? [reportData("urn:kyso:judged-at-proof", s.judgedAt.proof)] : []),
    ...s.messages.map((m) => reportData("urn:kyso:message", m)),
  ];
  data.push(`<vr:AdditionalValidationReportData>${extra.join("")}</vr:AdditionalValidationReportData>`);
  lines.push(`      <vr:AssociatedValidationReportData>${data.join("")}</vr:AssociatedValidationReportData>`);
  lines.push("    </vr:SignatureValidationStatus>");
  lines.push("  </vr:SignatureValidationReport>");
  return lines.join("\n");
}

/** For a document with no signature at all (or that could not be read): why there is no ETSI result. */
function noSignatureReport(r: DocumentReport): string {
  const why = r.error ? `${r.error.code}: ${r.error.message}` : "the document holds no signature";
  return [
    "  <vr:SignatureValidationReport>",
    `    <vr:SignersDocument>${digest(r.sha256 || "00")}<vr:SignersDocumentRef VOReference="D-1"/></vr:SignersDocument>`,
    `    <vr:SignatureValidationStatus><vr:MainIndication>${NO_SIGNATURE}</vr:MainIndication><vr:AssociatedValidationReportData><vr:AdditionalValidationReportData>${reportData("urn:kyso:message", why)}${reportData("urn:kyso:verdict", r.verdict)}</vr:AdditionalValidationReportData></vr:AssociatedValidationReportData></vr:SignatureValidationStatus>`,
    "  </vr:SignatureValidationReport>",
  ].join("\n");
}

export function etsiValidationReport(r: DocumentReport): string {
  const certs = new Set<string>();
  for (const s of r.signatures) {
    if (s.signer) certs.add(s.signer.sha256);
    for (const c of s.chain.path) certs.add(c);
  }
  const objects = [
    `    <vr:ValidationObject id="D-1"><vr:ObjectType>urn:etsi:019102:validationObject:signedData</vr:ObjectType><vr:ValidationObjectRepresentation>${digest(r.sha256 || "00")}</vr:ValidationObjectRepresentation></vr:ValidationObject>`,
    ...[...certs]
      .filter((c) => /^[0-9a-f]{64}$/.test(c))
      .map(
        (c) =>
          `    <vr:ValidationObject id="${certId(c)}"><vr:ObjectType>urn:etsi:019102:validationObject:certificate</vr:ObjectType><vr:ValidationObjectRepresentation>${digest(c)}</vr:ValidationObjectRepresentation></vr:ValidationObject>`,
      ),
  ];
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<vr:ValidationReport xmlns:vr="${NS.vr}" xmlns:ds="${NS.ds}" xmlns:tsl="${NS.tsl}">`,
    ...(r.signatures.length ? r.signatures.map((s) => signatureReport(r, s)) : [noSignatureReport(r)]),
    "  <vr:SignatureValidationObjects>",
    ...objects,
    "  </vr:SignatureValidationObjects>",
    `  <vr:SignatureValidator><vr:DigitalId><tsl:Other>${esc(`${r.engine.name} ${r.engine.version} (trust store ${r.engine.trustStore})`)}</tsl:Other></vr:DigitalId></vr:SignatureValidator>`,
    "</vr:ValidationReport>",
    "",
  ].join("\n");
}
