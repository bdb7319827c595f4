// K6 + K7: what changed between a signed revision and a later one, found by resolving objects in both (not
// by reading what the update appends), and which rule explains each change. Whatever no rule explains is
// `other`. Levels: none < signatures < form-fill < annotations < other.
import type { PdfDocument } from "./document.js";
import { changedKeys, pdfEqual } from "./equal.js";
import { PdfDict, type PdfObject, PdfRef, PdfStream } from "./objects.js";
import { fieldType, objectRoles, type Role, type RoleMap, TRAILER_PLUMBING } from "./roles.js";
import type { Resolver } from "./resolver.js";
import { signatureFields } from "./signatures.js";

export type ChangeLevel = "none" | "signatures" | "form-fill" | "annotations" | "other";
const ORDER: ChangeLevel[] = ["none", "signatures", "form-fill", "annotations", "other"];
export const levelRank = (l: ChangeLevel): number => ORDER.indexOf(l);
const maxLevel = (a: ChangeLevel, b: ChangeLevel): ChangeLevel => (levelRank(a) >= levelRank(b) ? a : b);

export interface Change {
  num: number | null;
  level: ChangeLevel;
  what: string;
}

export interface ChangeFacts {
  level: ChangeLevel;
  changes: Change[];
  /** annotations added after signing: page number and subtype, for K7/K8 messages */
  annotationsAdded: Array<{ page: number | null; subtype: string }>;
  /** the reader hit unreadable objects while comparing: the result cannot be trusted */
  unreadable: boolean;
}

const ALLOWED_CATALOG_KEYS: Record<string, ChangeLevel> = { DSS: "signatures", Extensions: "signatures", Version: "signatures", Metadata: "signatures", AcroForm: "signatures" };
/** Keys of a form field that filling it may change: value, selection, default value and appearance. */
const FORM_KEYS = new Set(["V", "AP", "AS", "DA", "I", "DV", "MK"]);
/** A signature field being signed may also get its widget flags and appearance characteristics set
 * (Adobe Reader sets /F: pyhanko__minimal-two-fields-signed-twice.pdf). */
const SIGNING_KEYS = new Set(["V", "AP", "AS", "F", "MK", "DA"]);
/** Page-tree keys producers stamp without changing pages (iText's /ITXT version: dss__pkcs7_sha1.pdf). */
const PAGE_TREE_STAMPS = new Set(["ITXT"]);

/** Role maps are cached per document and revision: one walk per revision however many signatures. */
const roleCache = new WeakMap<PdfDocument, Map<number, RoleMap>>();
function rolesOf(doc: PdfDocument, rev: number): RoleMap {
  let m = roleCache.get(doc);
  if (!m) roleCache.set(doc, (m = new Map()));
  let roles = m.get(rev);
  if (!roles) m.set(rev, (roles = objectRoles(doc.at(rev))));
  return roles;
}

/** Field objects that carry a signature in a revision, cached like the role maps (one walk per revision). */
const signedCache = new WeakMap<PdfDocument, Map<number, Set<number>>>();
function signedFieldsOf(doc: PdfDocument, rev: number): Set<number> {
  let m = signedCache.get(doc);
  if (!m) signedCache.set(doc, (m = new Map()));
  let set = m.get(rev);
  if (!set) m.set(rev, (set = new Set(signatureFields(doc.at(rev)).filter((f) => f.value !== undefined && f.num !== null).map((f) => f.num!))));
  return set;
}

export function diffRevisions(doc: PdfDocument, older: number, newer: number): ChangeFacts {
  const facts: ChangeFacts = { level: "none", changes: [], annotationsAdded: [], unreadable: false };
  if (older >= newer) return facts;
  const ro = doc.at(older);
  const rn = doc.at(newer);
  const buf = doc.buf;
  const add = (c: Change): void => {
    facts.changes.push(c);
    facts.level = maxLevel(facts.level, c.level);
  };

  // Candidates: every object number an update after `older` mentions whose location moved.
  const candidates = new Set<number>();
  for (let i = older; i < newer; i++) {
    for (const n of doc.revisions[i]!.entries.keys()) {
      // the same entry is the same object; otherwise compare where the two entries point
      if (!candidates.has(n) && ro.entry(n) !== rn.entry(n) && ro.location(n) !== rn.location(n)) candidates.add(n);
    }
  }
  const changed: number[] = [];
  for (const n of candidates) if (!pdfEqual(ro.get(n), rn.get(n), buf, buf)) changed.push(n);

  const trailerKeys = changedKeys(ro.trailer, rn.trailer, buf).filter((k) => !TRAILER_PLUMBING.has(k) || k === "Encrypt");
  if (changed.length === 0 && trailerKeys.length === 0) return finish();

  // Roles come from the newer revision only (one walk per document, whatever the number of signatures):
  // a use of an object that only the older revision had goes through a referrer that changed, and that
  // referrer is judged by its own role. "Already signed" is read from the older revision's fields.
  const newRoles = rolesOf(doc, newer);
  const signedOld = signedFieldsOf(doc, older);
  const ctx: RuleContext = { ro, rn, buf, signedOld, facts, newRoles };

  for (const key of trailerKeys) {
    if (key === "Root") {
      add(ruleCatalog(ctx, ro.catalog(), rn.catalog(), null));
    } else if (key === "Info") add({ num: null, level: "signatures", what: "trailer /Info replaced" });
    else add({ num: null, level: "other", what: `trailer /${key} changed` });
  }
  for (const n of changed) {
    const roles = newRoles.get(n) ?? [];
    if (roles.length === 0) continue; // not reachable in the document as delivered (K9)
    let level: ChangeLevel = "none";
    const whats: string[] = [];
    for (const role of dedupe(roles)) {
      const c = applyRule(ctx, n, role);
      level = maxLevel(level, c.level);
      if (c.level !== "none") whats.push(c.what);
    }
    add({ num: n, level, what: whats.length ? `object ${n}: ${[...new Set(whats)].join("; ")}` : `object ${n} rewritten` });
  }
  return finish();

  function finish(): ChangeFacts {
    // objects that could not be read in the revisions compared make the comparison untrustworthy
    if (doc.problems.some((p) => p.revision === null || p.revision >= older)) facts.unreadable = true;
    return facts;
  }
}

interface RuleContext {
  ro: Resolver;
  rn: Resolver;
  buf: Uint8Array;
  /** field object numbers that already carried a signature in the older revision */
  signedOld: ReadonlySet<number>;
  facts: ChangeFacts;
  newRoles: RoleMap;
}

/** A field or widget of a signature field, by its own /FT chain or by the role the AcroForm gave it. */
function isSigObject(ctx: RuleContext, n: number, d: PdfDict): boolean {
  return fieldType(ctx.rn, d) === "Sig" || (ctx.newRoles.get(n) ?? []).some((r) => r.kind === "sigfield");
}

function dedupe(roles: Role[]): Role[] {
  const seen = new Set<string>();
  return roles.filter((r) => {
    const k = `${r.kind}|${r.owner}|${r.ownerKind}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function applyRule(ctx: RuleContext, num: number, role: Role): { level: ChangeLevel; what: string } {
  const before = ctx.ro.get(num);
  const after = ctx.rn.get(num);
  const isNew = before === null;
  switch (role.kind) {
    case "info":
    case "metadata":
    case "dss":
    case "extensions":
      return { level: "signatures", what: `${role.kind} updated` };
    case "sigvalue":
      if (isNew) return { level: "signatures", what: "signature dictionary added" };
      return { level: "other", what: "an existing signature dictionary was changed" };
    case "catalog":
      return ruleCatalog(ctx, asDict(before), asDict(after), num);
    case "acroform":
      return ruleAcroForm(ctx, asDict(before), asDict(after));
    case "fields":
      return ruleFieldList(ctx, before, after, "AcroForm field list");
    case "dr":
      return { level: "form-fill", what: "form default resources updated" };
    case "field":
    case "sigfield":
    case "widget":
      return ruleFormObject(ctx, num, role, asDict(before), asDict(after));
    case "ap": {
      if (role.ownerKind === "annot") return { level: "annotations", what: "annotation appearance changed" };
      const ownerDict = role.owner !== undefined ? ctx.rn.dict(new PdfRef(role.owner, 0)) : undefined;
      if (role.ownerKind === "sig" || (ownerDict && role.owner !== undefined && isSigObject(ctx, role.owner, ownerDict))) {
        if (role.owner !== undefined && ctx.signedOld.has(role.owner)) return { level: "other", what: "appearance of an already signed field changed" };
        return { level: "signatures", what: "signature appearance" };
      }
      return { level: "form-fill", what: "form field appearance" };
    }
    case "annots":
      return ruleAnnotList(ctx, before, after, role.page ?? null);
    case "annot":
      return { level: "annotations", what: isNew ? "annotation added" : "annotation changed" };
    case "page": {
      const keys = changedKeys(asDict(before), asDict(after), ctx.buf);
      if (keys.length === 1 && keys[0] === "Annots") {
        const b = asDict(before);
        const a = asDict(after);
        return ruleAnnotList(ctx, ctx.ro.resolve(b?.get("Annots")) ?? [], ctx.rn.resolve(a?.get("Annots")) ?? [], role.page ?? null);
      }
      return { level: "other", what: `page ${role.page ?? "?"} changed (${keys.map((k) => "/" + k).join(", ")})` };
    }
    case "pages": {
      const keys = changedKeys(asDict(before), asDict(after), ctx.buf);
      if (before && keys.length && keys.every((k) => PAGE_TREE_STAMPS.has(k))) return { level: "signatures", what: "producer stamp on the page tree" };
      return { level: "other", what: "page tree changed" };
    }
    case "structure":
      return { level: "signatures", what: "logical structure updated" };
    case "perms":
      return { level: "other", what: "permissions (/Perms) changed" };
    case "names": {
      const keys = changedKeys(asDict(before), asDict(after), ctx.buf);
      if (keys.every((k) => k === "AP")) return { level: "annotations", what: "named annotation appearances updated" };
      return { level: "other", what: `name trees changed (${keys.map((k) => "/" + k).join(", ")})` };
    }
    default:
      return { level: "other", what: isNew ? "content object added" : "content object changed" };
  }
}

function asDict(o: PdfObject | undefined): PdfDict | undefined {
  if (o instanceof PdfDict) return o;
  if (o instanceof PdfStream) return o.dict;
  return undefined;
}

function ruleCatalog(ctx: RuleContext, before: PdfDict | undefined, after: PdfDict | undefined, num: number | null): Change {
  let level: ChangeLevel = "none";
  const bad: string[] = [];
  for (const k of changedKeys(before, after, ctx.buf)) {
    if (k === "Names" && namesOnlyAppearances(ctx, before?.get("Names"), after?.get("Names"))) {
      level = maxLevel(level, "annotations");
      continue;
    }
    const allowed = ALLOWED_CATALOG_KEYS[k];
    if (!allowed) {
      bad.push(k);
      continue;
    }
    if (k === "AcroForm") {
      // A direct AcroForm is judged here; an indirect one by its own object.
      const b = before?.get("AcroForm");
      const a = after?.get("AcroForm");
      if (a instanceof PdfDict || b instanceof PdfDict) {
        const c = ruleAcroForm(ctx, ctx.ro.dict(b), ctx.rn.dict(a));
        level = maxLevel(level, c.level);
        if (c.level === "other") bad.push("AcroForm");
        continue;
      }
    }
    level = maxLevel(level, allowed);
  }
  if (bad.length) return { num, level: "other", what: `catalog entries changed: ${bad.map((k) => "/" + k).join(", ")}` };
  return { num, level, what: "catalog updated (signature-related entries)" };
}

function ruleAcroForm(ctx: RuleContext, before: PdfDict | undefined, after: PdfDict | undefined): Change {
  let level: ChangeLevel = "none";
  const bad: string[] = [];
  for (const k of changedKeys(before, after, ctx.buf)) {
    if (k === "Fields") {
      const c = ruleFieldList(ctx, before?.get("Fields"), after?.get("Fields"), "AcroForm field list");
      level = maxLevel(level, c.level);
      if (c.level === "other") bad.push(c.what);
    } else if (k === "SigFlags") level = maxLevel(level, "signatures");
    else if (k === "DR" || k === "NeedAppearances" || k === "DA") level = maxLevel(level, "form-fill");
    else bad.push(`/${k}`);
  }
  if (bad.length) return { num: null, level: "other", what: `form changed: ${bad.join(", ")}` };
  return { num: null, level, what: "form dictionary updated" };
}

function refNums(r: Resolver, o: PdfObject | undefined): number[] | null {
  const v = r.resolve(o);
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) return null;
  return v.map((x) => (x instanceof PdfRef ? x.num : -1));
}

/** Fields may only be added, and only signature fields. */
function ruleFieldList(ctx: RuleContext, before: PdfObject | undefined, after: PdfObject | undefined, what: string): Change {
  const b = refNums(ctx.ro, before);
  const a = refNums(ctx.rn, after);
  if (!b || !a) return { num: null, level: "other", what: `${what} is not an array` };
  const removed = b.filter((n) => !a.includes(n));
  if (removed.length) return { num: null, level: "other", what: `${what}: fields removed` };
  const added = a.filter((n) => !b.includes(n));
  for (const n of added) {
    const d = n >= 0 ? ctx.rn.dict(new PdfRef(n, 0)) : undefined;
    if (!d || !isSigObject(ctx, n, d)) return { num: null, level: "other", what: `${what}: a non-signature field was added` };
  }
  return { num: null, level: added.length ? "signatures" : "none", what: `${what}: signature fields added` };
}

/** Annotations may be added or removed; widgets added must belong to signature fields. */
function ruleAnnotList(ctx: RuleContext, before: PdfObject | undefined, after: PdfObject | undefined, page: number | null): Change {
  const b = refNums(ctx.ro, before);
  const a = refNums(ctx.rn, after);
  if (!b || !a) return { num: null, level: "other", what: `annotations of page ${page ?? "?"} are not an array` };
  let level: ChangeLevel = "none";
  if (b.some((n) => !a.includes(n))) level = "annotations";
  for (const n of a.filter((x) => !b.includes(x))) {
    const d = n >= 0 ? ctx.rn.dict(new PdfRef(n, 0)) : undefined;
    if (!d) return { num: null, level: "other", what: `page ${page ?? "?"}: a direct or missing annotation was added` };
    const subtype = d.name("Subtype") ?? "?";
    if (subtype === "Widget") {
      if (isSigObject(ctx, n, d)) level = maxLevel(level, "signatures");
      else return { num: null, level: "other", what: `page ${page ?? "?"}: a widget of a non-signature field was added` };
    } else {
      level = maxLevel(level, "annotations");
      ctx.facts.annotationsAdded.push({ page, subtype });
    }
  }
  return { num: null, level, what: `annotations of page ${page ?? "?"} changed` };
}

function ruleFormObject(ctx: RuleContext, num: number, role: Role, before: PdfDict | undefined, after: PdfDict | undefined): { level: ChangeLevel; what: string } {
  const isSig = role.kind === "sigfield" || (after ? isSigObject(ctx, num, after) : false) || (before ? fieldType(ctx.ro, before) === "Sig" : false);
  const owner = role.owner ?? num;
  if (!before) {
    return isSig ? { level: "signatures", what: "signature field added" } : { level: "other", what: "a non-signature form field was added" };
  }
  const keys = changedKeys(before, after, ctx.buf);
  if (isSig) {
    if (ctx.signedOld.has(owner)) return { level: "other", what: "an already signed field was changed" };
    const foreign = keys.filter((k) => !SIGNING_KEYS.has(k));
    if (foreign.length) return { level: "other", what: `signature field changed (${foreign.map((k) => "/" + k).join(", ")})` };
    if (keys.includes("AP") && apSharedElsewhere(ctx, before.get("AP"), owner)) return { level: "other", what: "the replaced appearance is also used elsewhere in the signed document" };
    return { level: "signatures", what: "signature field signed" };
  }
  const foreign = keys.filter((k) => !FORM_KEYS.has(k));
  if (foreign.length) return { level: "other", what: `form field changed (${foreign.map((k) => "/" + k).join(", ")})` };
  return { level: "form-fill", what: "form field filled" };
}

/** True when the name dictionary differs only in /AP (named annotation appearances). */
function namesOnlyAppearances(ctx: RuleContext, before: PdfObject | undefined, after: PdfObject | undefined): boolean {
  const b = ctx.ro.dict(before);
  const a = ctx.rn.dict(after);
  if (!a) return false;
  return changedKeys(b, a, ctx.buf).every((k) => k === "AP") || (before instanceof PdfRef && after instanceof PdfRef && before.num === after.num);
}

/**
 * Re-pointing a widget's appearance is part of signing, unless the old appearance objects are in use
 * elsewhere: then the update is steering shared content (pyhanko__sneaky_no-ap-override_ap-indirect.pdf).
 */
function apSharedElsewhere(ctx: RuleContext, oldAp: PdfObject | undefined, owner: number): boolean {
  const refs: number[] = [];
  if (oldAp instanceof PdfRef) refs.push(oldAp.num);
  const d = ctx.ro.dict(oldAp);
  for (const k of ["N", "D", "R"]) {
    const v = d?.get(k);
    if (v instanceof PdfRef) refs.push(v.num);
  }
  // uses of the old appearance that remain in the delivered document, other than this field's own
  return refs.some((n) => (ctx.newRoles.get(n) ?? []).some((r) => !(r.kind === "ap" && (r.owner === undefined || r.owner === owner))));
}
