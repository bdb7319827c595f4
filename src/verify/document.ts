// The PAdES validation of a whole document: every signature found (K1), each judged on its own, with the
// document-level rules of K10 (one certification signature, and it is the first).
import type { PdfDocument } from "../pdf/document.js";
import { PdfDict, PdfRef, PdfString } from "../pdf/objects.js";
import { findSignatures, type FoundSignature, type SignatureField } from "../pdf/signatures.js";
import type { ChangePolicy } from "../pdf/diff.js";
import type { Resolver } from "../pdf/resolver.js";
import { readerPhrase } from "../pdf/reader-words.js";
import { Digester } from "./digester.js";
import { reported } from "./findings.js";
import { POLICIES, type PolicyName } from "./policy.js";
import type { ReportFinding, SignatureReport } from "./report.js";
import { say, type MessageKey } from "./messages.js";
import { verifySignature } from "./signature.js";
import { readDss } from "../pdf/dss.js";
import { parseCrls } from "../pki/crl.js";
import { parseOcsps } from "../pki/ocsp.js";
import { TrustStore } from "../pki/trust-store.js";
import { parseCertificate } from "../pki/certificate.js";
import { parseEach } from "../asn1/der.js";
import type { RevocationMode, RevocationNeed, TrustInputs } from "./trust.js";
import type { ProofBasis } from "./proof-basis.js";

export interface VerifyOptions {
  policy?: PolicyName;
  /** shared with the caller so the file digest and the ByteRange digests come from one pass */
  digester?: Digester;
  trust?: TrustStore;
  revocation?: RevocationMode;
  /** judge every signature at this time (--at), whatever the proofs */
  at?: Date | null;
  /** when nothing proves existence: the time received, else now */
  fallback: { time: Date; proof: string; basis: ProofBasis };
  /** revocation data from outside the document: a local CRL cache, or fetched online */
  revocationData?: RevocationData;
  /** collects what online fetching could resolve */
  needs?: RevocationNeed[];
  /** the rules that judge changes after signing and their allow-lists (default: every rule of K6-K15) */
  changePolicy?: ChangePolicy;
}

export interface RevocationData {
  crls: Array<{ der: Uint8Array; source: "cache" | "online" }>;
  ocsps: Array<{ der: Uint8Array; source: "cache" | "online" }>;
}

export interface DocumentVerification {
  signatures: SignatureReport[];
  messages: string[];
  findings: ReportFinding[];
}

export function verifyDocument(doc: PdfDocument, options: VerifyOptions): DocumentVerification {
  const inventory = findSignatures(doc);
  const digester = options.digester ?? new Digester(doc.buf);
  const gaps: Array<[number, number]> = [];
  for (const s of inventory.signatures) {
    const br = s.dict.get("ByteRange");
    const c = s.dict.get("Contents");
    if (Array.isArray(br) && br.length === 4 && br.every((x) => typeof x === "number")) {
      const [a, b, cc, d] = br as number[];
      digester.plan({ a: a!, b: b!, c: cc!, d: d! });
      if (c instanceof PdfString) gaps.push([c.start, c.end]);
    }
  }
  const r = doc.final();
  const certIndex = inventory.signatures.findIndex((s) => docMdpLevel(r, s) !== null);
  const permission = certIndex >= 0 ? docMdpLevel(r, inventory.signatures[certIndex]!) : null;
  const policy = POLICIES[options.policy ?? "default"];
  const dss = doc.repaired ? { certs: [], crls: [], ocsps: [] } : readDss(doc);
  const trust: TrustInputs = {
    store: options.trust ?? TrustStore.empty(),
    extraCerts: parseEach(dss.certs, parseCertificate),
    crls: [...parseCrls(dss.crls).map(embedded), ...sourced(options.revocationData?.crls ?? [], parseCrls)],
    ocsps: [...parseOcsps(dss.ocsps).map(embedded), ...sourced(options.revocationData?.ocsps ?? [], parseOcsps)],
    revocation: options.revocation ?? "soft-fail",
    policy,
    ...(options.needs ? { needs: options.needs } : {}),
  };
  const docTimestamps: Array<{ revision: number; time: Date }> = [];
  // K15: a field lock's /P restricts the whole document, as DocMDP does, from the signature of its field on
  const lockP = inventory.signatures.map((s) => lockPermission(r, s, inventory.fields));
  const permissionAt = (i: number): { p: number | null; ignored: number | null } => {
    let p = certIndex >= 0 && certIndex <= i ? permission : null;
    let ignored: number | null = null;
    for (let j = 0; j <= i; j++) {
      const lp = lockP[j];
      if (lp === null || lp === undefined) continue;
      if (permission !== null && certIndex >= 0 && certIndex <= j && lp > permission) ignored = lp;
      else p = p === null ? lp : Math.min(p, lp);
    }
    return { p, ignored };
  };
  const verifyOne = (s: FoundSignature, i: number): SignatureReport =>
    verifySignature(
      {
        doc,
        digester,
        policy,
        gaps: gaps.filter(([gs]) => !(s.dict.get("Contents") instanceof PdfString) || (s.dict.get("Contents") as PdfString).start !== gs),
        // changes after a certified revision are bound by its DocMDP level, and after a locked field is
        // signed by the lock's /P; approval signatures behave as P=3
        permission: permissionAt(i).p,
        lockPIgnored: permissionAt(i).ignored,
        ...(options.changePolicy ? { changePolicy: options.changePolicy } : {}),
        lateCertification: i > 0 && docMdpLevel(r, s) !== null,
        trust,
        at: options.at ?? null,
        fallback: options.fallback,
        docTimestamps,
      },
      s,
      i,
    );
  // Document time-stamps first: a trusted one proves when the revisions before it existed.
  const reports = new Map<number, SignatureReport>();
  inventory.signatures.forEach((s, i) => {
    if (!isDocTimestamp(s)) return;
    const rep = verifyOne(s, i);
    reports.set(i, rep);
    if (rep.indication === "TOTAL_PASSED" && rep.timestamp?.valid) docTimestamps.push({ revision: rep.revision, time: new Date(rep.timestamp.time) });
  });
  inventory.signatures.forEach((s, i) => {
    if (!reports.has(i)) reports.set(i, verifyOne(s, i));
  });
  const signatures = inventory.signatures.map((_, i) => reports.get(i)!);
  const findings: ReportFinding[] = inventory.notes.map((n) => ({ key: n.key, params: n.params, severity: "info", subIndication: null }));
  if (doc.repaired) findings.unshift({ key: "doc.repaired", params: {}, severity: "warn", subIndication: null });
  for (const p of doc.problems.slice(0, 10))
    findings.push(
      reported(
        "doc.reader",
        { problem: p.offset !== undefined ? readerPhrase("reader.atByte", { problem: p.phrase, offset: p.offset }) : p.phrase },
        "info",
        null,
      ),
    );
  return { signatures, messages: findings.map((x) => say(x.key as MessageKey, x.params)), findings };
}

/** The DocMDP permission (1..3) when this is a certification signature (ISO 32000-1 §12.8.2.2), else null. */
export function docMdpLevel(r: Resolver, s: FoundSignature): number | null {
  const refs = r.resolve(s.dict.get("Reference"));
  if (Array.isArray(refs)) {
    for (const ref of refs) {
      const d = r.dict(ref);
      if (d?.name("TransformMethod") !== "DocMDP") continue;
      const params = r.dict(d.get("TransformParams"));
      const p = r.resolve(params?.get("P"));
      return typeof p === "number" && p >= 1 && p <= 3 ? p : 2;
    }
  }
  const perms = r.dict(r.catalog()?.get("Perms"));
  const mdp = perms?.get("DocMDP");
  if (mdp instanceof PdfRef && s.num === mdp.num) return 2;
  if (mdp instanceof PdfDict && mdp.start === s.dict.start) return 2;
  return null;
}

/** The /P of the lock of the field this signature signs (its /Lock, or its FieldMDP transform), else null. */
function lockPermission(r: Resolver, s: FoundSignature, fields: SignatureField[]): number | null {
  const sources: Array<PdfDict | undefined> = [];
  const refs = r.resolve(s.dict.get("Reference"));
  if (Array.isArray(refs))
    for (const x of refs) {
      const ref = r.dict(x);
      if (ref?.name("TransformMethod") === "FieldMDP") sources.push(r.dict(ref.get("TransformParams")));
    }
  for (const f of fields) {
    const v = f.value;
    const same = (v instanceof PdfRef && s.num !== null && v.num === s.num) || (v instanceof PdfDict && v.start === s.dict.start);
    if (same) sources.push(f.lock);
  }
  let p: number | null = null;
  for (const d of sources) {
    const v = r.resolve(d?.get("P"));
    if (typeof v === "number" && v >= 1 && v <= 3) p = p === null ? v : Math.min(p, v);
  }
  return p;
}

function isDocTimestamp(s: FoundSignature): boolean {
  return s.dict.name("Type") === "DocTimeStamp" || s.dict.name("SubFilter") === "ETSI.RFC3161";
}

function embedded<T>(data: T): { data: T; source: "embedded" } {
  return { data, source: "embedded" };
}

/** Parses outside revocation data, keeping where each item came from. */
function sourced<T>(
  items: Array<{ der: Uint8Array; source: "cache" | "online" }>,
  parse: (ders: Uint8Array[]) => T[],
): Array<{ data: T; source: "cache" | "online" }> {
  const out: Array<{ data: T; source: "cache" | "online" }> = [];
  for (const item of items) for (const data of parse([item.der])) out.push({ data, source: item.source });
  return out;
}
