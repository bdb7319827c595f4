// K6 + K7: what changed between a signed revision and a later one, found by resolving objects in both (not
// by reading what the update appends), and which rule explains each change. Whatever no rule explains is
// `other`. Levels: none < signatures < form-fill < annotations < other.
import type { PdfDocument } from "./document.js";
import { changedKeys, pdfEqual } from "./equal.js";
import { PdfDict, type PdfObject, PdfRef, PdfStream, PdfString } from "./objects.js";
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
  /** the rule that judged it: the check of VERIFY-CHECKS.md and the use of the object it is about */
  rule?: string;
}

/** The check that governs changes to an object of each use (shared/VERIFY-CHECKS.md). */
const RULE_OF_ROLE: Record<Role["kind"], string> = {
  catalog: "K12 catalog", info: "K7 document information", metadata: "K7 metadata", dss: "K7 long-term validation data", extensions: "K7 extensions",
  acroform: "K12 form", fields: "K12 field list", dr: "K6 form resources", field: "K6 form field", sigfield: "K7 signature field", sigvalue: "K7 signature dictionary",
  widget: "K7 widget", annots: "K6 annotation list", annot: "K6 annotation", ap: "K14 appearance", pages: "K6 page tree", page: "K6 page", perms: "K12 permissions",
  names: "K6 name trees", structure: "K14 logical structure", other: "K6 content",
};

export interface ChangeFacts {
  level: ChangeLevel;
  changes: Change[];
  /** annotations added after signing: page number and subtype, for K7/K8 messages */
  annotationsAdded: Array<{ page: number | null; subtype: string }>;
  /** the reader hit unreadable objects while comparing: the result cannot be trusted */
  unreadable: boolean;
  /** empty signature fields added (K12: not allowed under DocMDP P=1 or P=2) */
  emptySignatureFields: number;
  /** signatures (not document time-stamps) added (K12: not allowed under DocMDP P=1) */
  signaturesAdded: number;
}

/** A field lock (K13): a signature field's /Lock or its FieldMDP transform, in force after it is signed. */
export interface FieldLock {
  action: "All" | "Include" | "Exclude";
  fields: string[];
}

/** True when the fully qualified field `name` is locked by one of `locks`. */
export function isLocked(locks: readonly FieldLock[], name: string): boolean {
  return locks.some((l) => (l.action === "All" ? true : l.action === "Include" ? l.fields.includes(name) : !l.fields.includes(name)));
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
  const facts: ChangeFacts = { level: "none", changes: [], annotationsAdded: [], unreadable: false, emptySignatureFields: 0, signaturesAdded: 0 };
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
  const ctx: RuleContext = { ro, rn, buf, signedOld, facts, newRoles, locks: locksOf(doc, older), emptyFields: new Set() };

  for (const key of trailerKeys) {
    if (key === "Root") {
      add({ ...ruleCatalog(ctx, ro.catalog(), rn.catalog(), null), rule: "K11 catalog by value" });
    } else if (key === "Info") add({ num: null, level: "signatures", what: "trailer /Info replaced", rule: "K7 document information" });
    else add({ num: null, level: "other", what: `trailer /${key} changed`, rule: "K6 trailer" });
  }
  for (const n of changed) {
    const roles = newRoles.get(n) ?? [];
    if (roles.length === 0) continue; // not reachable in the document as delivered (K9)
    // K11: an object new in this update, that nothing in the signed revision referred to, and that only
    // content uses, shows only through the objects that now refer to it; each of those changed and is
    // judged by its resolved value (a page re-pointed to an equal copy is unchanged, to another is not)
    if (ro.get(n) === null && roles.every((r) => r.kind === "other") && !rolesOf(doc, older).has(n)) continue;
    let level: ChangeLevel = "none";
    let rule = RULE_OF_ROLE[roles[0]!.kind];
    const whats: string[] = [];
    for (const role of dedupe(roles)) {
      const c = applyRule(ctx, n, role);
      // the rule named is the one that judged the most severe use of the object
      if (levelRank(c.level) > levelRank(level) || (c.level === level && c.level !== "none" && whats.length === 0)) rule = c.rule ?? RULE_OF_ROLE[role.kind];
      level = maxLevel(level, c.level);
      if (c.level !== "none") whats.push(c.what);
    }
    add({ num: n, level, what: whats.length ? `object ${n}: ${[...new Set(whats)].join("; ")}` : `object ${n} rewritten`, rule });
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
  /** field locks of the signatures of the older revision (K13) */
  locks: FieldLock[];
  emptyFields: Set<number>;
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

function applyRule(ctx: RuleContext, num: number, role: Role): { level: ChangeLevel; what: string; rule?: string } {
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
      if (isNew) {
        if (asDict(after)?.name("Type") !== "DocTimeStamp" && asDict(after)?.name("SubFilter") !== "ETSI.RFC3161") ctx.facts.signaturesAdded++;
        return { level: "signatures", what: "signature dictionary added" };
      }
      return { level: "other", what: "an existing signature dictionary was changed" };
    case "catalog":
      // the catalog whatever its number: one written again under a new number is compared to the signed one
      return ruleCatalog(ctx, ctx.ro.catalog(), asDict(after), num);
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
      // by resolved value (K11): a key re-pointed to an equal copy is no change
      const b = asDict(before) ?? oldPage(ctx, role.page);
      const a = asDict(after);
      const keys = resolvedChangedKeys(ctx, b, a);
      if (keys.length === 0) return { level: "none", what: "page written again with equal values", rule: "K11 equal values" };
      // K14: /Tabs and /StructParents come with an annotation added to a tagged page, never on their own
      if (keys.includes("Annots") && keys.every((k) => PAGE_ANNOT_KEYS.has(k))) {
        const c = ruleAnnotList(ctx, ctx.ro.resolve(b?.get("Annots")) ?? [], ctx.rn.resolve(a?.get("Annots")) ?? [], role.page ?? null);
        if (keys.length > 1 && c.level !== "annotations") return { level: "other", what: `page ${role.page ?? "?"} changed (${keys.map((k) => "/" + k).join(", ")}) with no annotation added`, rule: "K14 annotation bookkeeping" };
        return { ...c, rule: keys.length > 1 ? "K14 annotation bookkeeping" : "K6 annotation list" };
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
  for (const k of resolvedChangedKeys(ctx, before, after)) {
    // K12: catalog entries may be added after signing, never removed
    if (before?.has(k) && !after?.has(k)) {
      bad.push(`${k} removed`);
      continue;
    }
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
  if (level === "none") return { num, level, what: "catalog written again with equal values" };
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

function ruleFormObject(ctx: RuleContext, num: number, role: Role, before: PdfDict | undefined, after: PdfDict | undefined): { level: ChangeLevel; what: string; rule?: string } {
  const isSig = role.kind === "sigfield" || (after ? isSigObject(ctx, num, after) : false) || (before ? fieldType(ctx.ro, before) === "Sig" : false);
  const owner = role.owner ?? num;
  if (!before) {
    if (!isSig) return { level: "other", what: "a non-signature form field was added" };
    // K12: a field signed in the same revision is part of signing; an empty one is a form change
    // the field is the object itself when it has a name, else the parent its widget belongs to
    const field = after?.has("T") ? after : ctx.rn.dict(after?.get("Parent"));
    if (after && !field?.has("V")) {
      // one object reached as a field and as a widget is one field; a widget counts through its field
      if (field === after) ctx.facts.emptySignatureFields = ctx.emptyFields.add(num).size;
      return { level: "form-fill", what: "an empty signature field added", rule: "K12 new signature field" };
    }
    return { level: "signatures", what: "signature field added" };
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
  // K13: a field a signature locked stays as it was signed
  const name = ctx.locks.length ? qualifiedName(ctx.rn, after ?? before) : null;
  if (name !== null && isLocked(ctx.locks, name)) return { level: "other", what: `the locked field '${name}' was changed`, rule: "K13 field lock" };
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

/** Page keys that adding an annotation to a (tagged) page touches (K14). */
const PAGE_ANNOT_KEYS = new Set(["Annots", "Tabs", "StructParents"]);

/** The signed revision's page with this number (a page written again under a new number). */
function oldPage(ctx: RuleContext, page: number | undefined): PdfDict | undefined {
  if (page === undefined) return undefined;
  const pages = listPageDicts(ctx.ro);
  return pages[page - 1];
}

function listPageDicts(r: Resolver): PdfDict[] {
  const out: PdfDict[] = [];
  const walk = (o: PdfObject | undefined, depth: number): void => {
    if (depth > 64 || out.length > 100_000) return;
    const d = r.dict(o);
    if (!d) return;
    const kids = r.resolve(d.get("Kids"));
    if (Array.isArray(kids) && d.name("Type") !== "Page") for (const k of kids) walk(k, depth + 1);
    else out.push(d);
  };
  walk(r.catalog()?.get("Pages"), 0);
  return out;
}

/** Keys whose resolved values differ (K11: references followed in each revision, numbers ignored). */
function resolvedChangedKeys(ctx: RuleContext, a: PdfDict | undefined, b: PdfDict | undefined): string[] {
  // a reference kept to the same object number is no change here: that object is judged by its own roles;
  // a value written differently (a reference re-pointed, a direct value) is compared as a reader sees it
  const budget = { left: 20_000 };
  return changedKeys(a, b, ctx.buf).filter((k) => !resolvedEqual(ctx, a?.get(k), b?.get(k), new Set(), budget));
}

/**
 * Equality of two values as a reader sees them: references resolved in their own revision (the older
 * for `a`, the newer for `b`), streams by dictionary and bytes. Bounded: past the budget, unequal.
 */
function resolvedEqual(ctx: RuleContext, a: PdfObject | undefined, b: PdfObject | undefined, seen: Set<string>, budget: { left: number }, depth = 0): boolean {
  if (--budget.left < 0 || depth > 64) return false;
  if (a instanceof PdfRef || b instanceof PdfRef) {
    const key = `${a instanceof PdfRef ? a.num : "d"}:${b instanceof PdfRef ? b.num : "d"}`;
    if (a instanceof PdfRef && b instanceof PdfRef && a.num === b.num && ctx.ro.entry(a.num) === ctx.rn.entry(b.num)) return true;
    if (seen.has(key)) return true; // a cycle assumed equal; any difference shows elsewhere on the path
    seen.add(key);
    return resolvedEqual(ctx, a instanceof PdfRef ? ctx.ro.get(a.num) : a, b instanceof PdfRef ? ctx.rn.get(b.num) : b, seen, budget, depth + 1);
  }
  if (a === b) return true;
  if (a === undefined || b === undefined || a === null || b === null || typeof a !== "object" || typeof b !== "object") return false;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => resolvedEqual(ctx, x, b[i], seen, budget, depth + 1));
  if (a instanceof PdfStream) {
    if (!(b instanceof PdfStream)) return false;
    return resolvedEqual(ctx, a.dict, b.dict, seen, budget, depth + 1) && sameBytes(ctx.buf, a, b);
  }
  if (a instanceof PdfDict) {
    if (!(b instanceof PdfDict) || a.map.size !== b.map.size) return false;
    for (const [k, v] of a.map) if (!resolvedEqual(ctx, v, b.map.get(k), seen, budget, depth + 1)) return false;
    return true;
  }
  return pdfEqual(a, b, ctx.buf, ctx.buf);
}

function sameBytes(buf: Uint8Array, a: PdfStream, b: PdfStream): boolean {
  const la = a.dataEnd - a.dataStart;
  return la === b.dataEnd - b.dataStart && Buffer.from(buf.buffer, buf.byteOffset + a.dataStart, la).equals(Buffer.from(buf.buffer, buf.byteOffset + b.dataStart, la));
}

/** The fully qualified name of a field (its /T and its parents', joined by '.'). */
function qualifiedName(r: Resolver, d: PdfDict | undefined): string | null {
  const parts: string[] = [];
  let cur = d;
  for (let i = 0; cur && i < 32; i++) {
    const t = cur.get("T");
    if (t instanceof PdfString) parts.unshift(t.text());
    cur = r.dict(cur.get("Parent"));
  }
  return parts.length ? parts.join(".") : null;
}

/** Field locks in force after the signatures of a revision: each field's /Lock and FieldMDP transforms. */
const lockCache = new WeakMap<PdfDocument, Map<number, FieldLock[]>>();
function locksOf(doc: PdfDocument, rev: number): FieldLock[] {
  let m = lockCache.get(doc);
  if (!m) lockCache.set(doc, (m = new Map()));
  let locks = m.get(rev);
  if (locks) return locks;
  locks = [];
  const r = doc.at(rev);
  for (const f of signatureFields(r)) {
    if (f.value === undefined) continue;
    const sources: Array<PdfDict | undefined> = [f.lock];
    const refs = r.resolve(r.dict(f.value)?.get("Reference"));
    if (Array.isArray(refs)) for (const x of refs) {
      const ref = r.dict(x);
      if (ref?.name("TransformMethod") === "FieldMDP") sources.push(r.dict(ref.get("TransformParams")));
    }
    for (const d of sources) {
      const action = d?.name("Action");
      if (action !== "All" && action !== "Include" && action !== "Exclude") continue;
      const list = r.resolve(d!.get("Fields"));
      const fields = Array.isArray(list) ? list.map((x) => r.resolve(x)).filter((x): x is PdfString => x instanceof PdfString).map((x) => x.text()) : [];
      locks.push({ action, fields });
    }
  }
  m.set(rev, locks);
  return locks;
}
