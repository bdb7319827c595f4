// The rules that judge each change between a signed revision and a later one (shared/VERIFY-CHECKS.md
// K6, K7, K11-K14), as small rule objects in the manner of pyHanko's whitelist rules: each names the uses
// of objects it judges, what it allows, and the check and fixtures that need it; composed, they are the
// default policy. diff.ts finds the changes and their uses; a use no rule judges is `other`.
import type { Phrase } from "../words/phrase.js";
import { changePhrase, pdfNames, said } from "./change-words.js";
import { changedKeys, pdfEqual, sameStreamData } from "./equal.js";
import { listPages } from "./pages.js";
import { qualifiedName } from "./signatures.js";
import { PdfDict, type PdfObject, PdfRef, PdfStream } from "./objects.js";
import { fieldType, type Role, type RoleKind, type RoleMap } from "./roles.js";

/** What the rules read of a revision (a Resolver; tests hand-build one). */
export interface RevisionView {
  get(num: number): PdfObject | null;
  dict(o: PdfObject | undefined): PdfDict | undefined;
  resolve(o: PdfObject | undefined): PdfObject | undefined;
  catalog(): PdfDict | undefined;
  entry(num: number): unknown;
}

/**
 * How far a change goes. `unrecognised` (K15) is a change no rule understands to an object that is not
 * content (a key a signing tool wrote on a field that existed when signing): neither allowed nor content,
 * it is left to the policy (indeterminate by default). `other` is content: never allowed.
 */
export type ChangeLevel = "none" | "signatures" | "form-fill" | "annotations" | "unrecognised" | "other";
const ORDER: ChangeLevel[] = ["none", "signatures", "form-fill", "annotations", "unrecognised", "other"];
export const levelRank = (l: ChangeLevel): number => ORDER.indexOf(l);
export const maxLevel = (a: ChangeLevel, b: ChangeLevel): ChangeLevel => (levelRank(a) >= levelRank(b) ? a : b);

export interface Change {
  num: number | null;
  level: ChangeLevel;
  /** what changed, in English as reports carry it, and as a key (`phrase`) for the pages */
  what: string;
  phrase: Phrase;
  /** the rule that judged it: the check of VERIFY-CHECKS.md and the use of the object it is about */
  rule?: string;
  /** the object's use that rule judged (its role in the delivered document) */
  use?: string;
}

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

const ALLOWED_CATALOG_KEYS: Record<string, ChangeLevel> = {
  DSS: "signatures",
  Extensions: "signatures",
  Version: "signatures",
  Metadata: "signatures",
  AcroForm: "signatures",
};
/** Keys of a form field that filling it may change: value, selection, default value and appearance. */
const FORM_KEYS: ReadonlySet<string> = new Set(["V", "AP", "AS", "DA", "I", "DV", "MK"]);
/** A signature field being signed may also get its widget flags and appearance characteristics set
 * (Adobe Reader sets /F: pyhanko__minimal-two-fields-signed-twice.pdf), and on a tagged document the
 * /StructParent of its structure bookkeeping (K14). */
const SIGNING_KEYS: ReadonlySet<string> = new Set(["V", "AP", "AS", "F", "MK", "DA", "StructParent"]);
/** The keys of a field or widget dictionary that ISO 32000 gives a meaning to (Tables 164, 168, 220, 226,
 * 234): a change to one of them is judged by the form rules; any other key is a tool's own (K15). */
const READER_FIELD_KEYS: ReadonlySet<string> = new Set([
  "FT",
  "Parent",
  "Kids",
  "T",
  "TU",
  "TM",
  "Ff",
  "V",
  "DV",
  "AA",
  "DA",
  "Q",
  "DS",
  "RV",
  "Opt",
  "TI",
  "I",
  "Lock",
  "SV",
  "MaxLen",
  "Type",
  "Subtype",
  "Rect",
  "Contents",
  "P",
  "NM",
  "M",
  "F",
  "AP",
  "AS",
  "Border",
  "C",
  "StructParent",
  "OC",
  "AF",
  "ca",
  "CA",
  "BM",
  "Lang",
  "H",
  "MK",
  "A",
  "BS",
]);

/** Page-tree keys producers stamp without changing pages (iText's /ITXT version: dss__pkcs7_sha1.pdf). */
const PAGE_TREE_STAMPS: ReadonlySet<string> = new Set(["ITXT"]);

/**
 * The allow-lists the rules read: options of the rules, in the manner of pyHanko's DiffPolicy settings
 * (a province may add a producer's stamp or a signing tool's key without touching a rule).
 */
export interface ChangeRuleOptions {
  /** keys filling a form field may change */
  readonly formKeys: ReadonlySet<string>;
  /** keys signing a signature field may set */
  readonly signingKeys: ReadonlySet<string>;
  /** keys of a field a reader acts on: any other on a signed field is an unrecognised change (K15) */
  readonly readerFieldKeys: ReadonlySet<string>;
  /** page-tree keys producers stamp without changing pages */
  readonly pageTreeStamps: ReadonlySet<string>;
}

export const DEFAULT_RULE_OPTIONS: ChangeRuleOptions = {
  formKeys: FORM_KEYS,
  signingKeys: SIGNING_KEYS,
  readerFieldKeys: READER_FIELD_KEYS,
  pageTreeStamps: PAGE_TREE_STAMPS,
};

export interface RuleContext {
  /** the signed revision and the delivered one */
  ro: RevisionView;
  rn: RevisionView;
  buf: Uint8Array;
  /** field object numbers that already carried a signature in the older revision */
  signedOld: ReadonlySet<number>;
  facts: ChangeFacts;
  newRoles: RoleMap;
  /** the roles of the signed revision: an object there was reached from what was signed */
  oldRoles: RoleMap;
  /** the allow-lists of the change policy in force */
  options: ChangeRuleOptions;
  /** field locks of the signatures of the older revision (K13) */
  locks: FieldLock[];
  emptyFields: Set<number>;
}

/** A field or widget of a signature field, by its own /FT chain or by the role the AcroForm gave it. */
function isSigObject(ctx: RuleContext, n: number, d: PdfDict): boolean {
  return fieldType(ctx.rn, d) === "Sig" || (ctx.newRoles.get(n) ?? []).some((r) => r.kind === "sigfield");
}

export function dedupe(roles: Role[]): Role[] {
  const seen = new Set<string>();
  return roles.filter((r) => {
    const k = `${r.kind}|${r.owner}|${r.ownerKind}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

export function asDict(o: PdfObject | undefined): PdfDict | undefined {
  if (o instanceof PdfDict) return o;
  if (o instanceof PdfStream) return o.dict;
  return undefined;
}

export function ruleCatalog(ctx: RuleContext, before: PdfDict | undefined, after: PdfDict | undefined, num: number | null): Change {
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
  if (bad.length) return { num, level: "other", ...said("change.catalogEntries", { keys: pdfNames(bad) }) };
  if (level === "none") return { num, level, ...said("change.catalogEqual") };
  return { num, level, ...said("change.catalogUpdated") };
}

function ruleAcroForm(ctx: RuleContext, before: PdfDict | undefined, after: PdfDict | undefined): Change {
  let level: ChangeLevel = "none";
  const bad: string[] = [];
  let list: Phrase | null = null;
  for (const k of changedKeys(before, after, ctx.buf)) {
    if (k === "Fields") {
      const c = ruleFieldList(ctx, before?.get("Fields"), after?.get("Fields"));
      level = maxLevel(level, c.level);
      if (c.level === "other") list = c.phrase;
    } else if (k === "SigFlags") level = maxLevel(level, "signatures");
    else if (k === "DR" || k === "NeedAppearances" || k === "DA") level = maxLevel(level, "form-fill");
    else bad.push(k);
  }
  // the field list's problem first, then the other keys, as one sentence
  if (list) return { num: null, level: "other", ...said("change.formListChanged", { list, more: bad.length ? `, ${pdfNames(bad)}` : "" }) };
  if (bad.length) return { num: null, level: "other", ...said("change.formChanged", { keys: pdfNames(bad) }) };
  return { num: null, level, ...said("change.formUpdated") };
}

function refNums(r: RevisionView, o: PdfObject | undefined): number[] | null {
  const v = r.resolve(o);
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) return null;
  return v.map((x) => (x instanceof PdfRef ? x.num : -1));
}

/** Fields may only be added, and only signature fields. */
function ruleFieldList(ctx: RuleContext, before: PdfObject | undefined, after: PdfObject | undefined): Change {
  const list = changePhrase("part.fieldList");
  const b = refNums(ctx.ro, before);
  const a = refNums(ctx.rn, after);
  if (!b || !a) return { num: null, level: "other", ...said("change.listNotArray", { list }) };
  const removed = b.filter((n) => !a.includes(n));
  if (removed.length) return { num: null, level: "other", ...said("change.listRemoved", { list }) };
  const added = a.filter((n) => !b.includes(n));
  for (const n of added) {
    const d = n >= 0 ? ctx.rn.dict(new PdfRef(n, 0)) : undefined;
    if (!d || !isSigObject(ctx, n, d)) return { num: null, level: "other", ...said("change.listNonSignature", { list }) };
  }
  return { num: null, level: added.length ? "signatures" : "none", ...said("change.listSignatures", { list }) };
}

/** Annotations may be added or removed; widgets added must belong to signature fields. */
function ruleAnnotList(ctx: RuleContext, before: PdfObject | undefined, after: PdfObject | undefined, page: number | null): Change {
  const b = refNums(ctx.ro, before);
  const a = refNums(ctx.rn, after);
  if (!b || !a) return { num: null, level: "other", ...said("change.annotsNotArray", { page: page ?? "?" }) };
  let level: ChangeLevel = "none";
  for (const n of b.filter((x) => !a.includes(x))) {
    // K12: a widget taken off the page removes form content (a field's appearance, a signature's stamp)
    const gone = n >= 0 ? ctx.ro.dict(new PdfRef(n, 0)) : undefined;
    if (gone?.name("Subtype") === "Widget")
      return { num: null, level: "other", ...said("change.widgetRemoved", { page: page ?? "?" }), rule: "K12 widget removed" };
    level = maxLevel(level, "annotations");
  }
  for (const n of a.filter((x) => !b.includes(x))) {
    const d = n >= 0 ? ctx.rn.dict(new PdfRef(n, 0)) : undefined;
    if (!d) return { num: null, level: "other", ...said("change.annotDirect", { page: page ?? "?" }) };
    const subtype = d.name("Subtype") ?? "?";
    if (subtype === "Widget") {
      if (isSigObject(ctx, n, d)) level = maxLevel(level, "signatures");
      else return { num: null, level: "other", ...said("change.widgetNonSignature", { page: page ?? "?" }) };
    } else {
      level = maxLevel(level, "annotations");
      ctx.facts.annotationsAdded.push({ page, subtype });
    }
  }
  return { num: null, level, ...said("change.annotsChanged", { page: page ?? "?" }) };
}

function ruleFormObject(ctx: RuleContext, num: number, role: Role, before: PdfDict | undefined, after: PdfDict | undefined): Judgement {
  const isSig = role.kind === "sigfield" || (after ? isSigObject(ctx, num, after) : false) || (before ? fieldType(ctx.ro, before) === "Sig" : false);
  const owner = role.owner ?? num;
  if (!before) {
    if (!isSig) return { level: "other", ...said("change.nonSignatureField") };
    // K12: a field signed in the same revision is part of signing; an empty one is a form change
    // the field is the object itself when it has a name, else the parent its widget belongs to
    const field = after?.has("T") ? after : ctx.rn.dict(after?.get("Parent"));
    if (after && !field?.has("V")) {
      // one object reached as a field and as a widget is one field; a widget counts through its field
      if (field === after) ctx.facts.emptySignatureFields = ctx.emptyFields.add(num).size;
      return { level: "form-fill", ...said("change.emptySigField"), rule: "K12 new signature field" };
    }
    return { level: "signatures", ...said("change.sigFieldAdded") };
  }
  const keys = changedKeys(before, after, ctx.buf);
  if (isSig) {
    if (ctx.signedOld.has(owner)) {
      // K15: keys no rule knows (a signing tool's own) are an unrecognised change; any key a reader acts on is content
      if (keys.length && keys.every((k) => !ctx.options.readerFieldKeys.has(k)))
        return {
          level: "unrecognised",
          ...said("change.unrecognisedSigned", { keys: pdfNames(keys) }),
          rule: "K15 unrecognised change",
        };
      return { level: "other", ...said("change.signedFieldChanged", { keys: pdfNames(keys) }) };
    }
    const foreign = keys.filter((k) => !ctx.options.signingKeys.has(k));
    if (foreign.length) return { level: "other", ...said("change.sigFieldChanged", { keys: pdfNames(foreign) }) };
    if (keys.includes("AP") && apSharedElsewhere(ctx, before.get("AP"), owner)) return { level: "other", ...said("change.apShared") };
    return { level: "signatures", ...said("change.sigFieldSigned") };
  }
  const foreign = keys.filter((k) => !ctx.options.formKeys.has(k));
  if (foreign.length) return { level: "other", ...said("change.formFieldChanged", { keys: pdfNames(foreign) }) };
  // K13: a field a signature locked stays as it was signed
  const name = ctx.locks.length ? qualifiedName(ctx.rn, after ?? before) : null;
  if (name !== null && isLocked(ctx.locks, name)) return { level: "other", ...said("change.lockedField", { field: name }), rule: "K13 field lock" };
  return { level: "form-fill", ...said("change.formFieldFilled") };
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
  return listPages(ctx.ro)[page - 1]?.dict;
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
    return resolvedEqual(ctx, a.dict, b.dict, seen, budget, depth + 1) && sameStreamData(a, b, ctx.buf, ctx.buf);
  }
  if (a instanceof PdfDict) {
    if (!(b instanceof PdfDict) || a.map.size !== b.map.size) return false;
    for (const [k, v] of a.map) if (!resolvedEqual(ctx, v, b.map.get(k), seen, budget, depth + 1)) return false;
    return true;
  }
  return pdfEqual(a, b, ctx.buf, ctx.buf);
}

/** What a rule concludes about one use of one changed object. */
export interface Judgement {
  level: ChangeLevel;
  what: string;
  phrase: Phrase;
  /** a more precise rule name than the rule's own, when a sub-case decided (a lock, equal values) */
  rule?: string;
}

/** One changed object, in one of its uses in the delivered revision. */
export interface ChangeInput {
  num: number;
  role: Role;
  /** the object in the signed revision (null: it did not exist) and in the delivered one */
  before: PdfObject | null | undefined;
  after: PdfObject | null | undefined;
}

/**
 * A rule of the change policy, in the manner of pyHanko's whitelist rules: the uses of objects it
 * judges, what it allows, and the check (VERIFY-CHECKS.md) and fixtures that need it. A change to a use no
 * rule judges is `other`.
 */
export interface ChangeRule {
  readonly name: string;
  readonly kinds: readonly RoleKind[];
  readonly allows: string;
  readonly cites: string;
  judge(ctx: RuleContext, c: ChangeInput): Judgement;
}

const isNewObject = (c: ChangeInput): boolean => c.before === null || c.before === undefined;

export const LONG_TERM_DATA: ChangeRule = {
  name: "K7 long-term validation data",
  kinds: ["info", "metadata", "dss", "extensions"],
  allows: "the document information, XMP metadata, /DSS and /Extensions updated (PAdES long-term validation)",
  cites: "K7; fixtures dss-added, document-timestamp",
  judge: (_ctx, c) => ({
    level: "signatures",
    ...said("change.updated", { part: changePhrase(`part.${c.role.kind as "info" | "metadata" | "dss" | "extensions"}`) }),
  }),
};

export const SIGNATURE_DICTIONARY: ChangeRule = {
  name: "K7 signature dictionary",
  kinds: ["sigvalue"],
  allows: "a new signature or document time-stamp dictionary; never a change to an existing one",
  cites: "K7; fixtures nd30-personal-then-organization, vgca-seven-signatures",
  judge: (ctx, c) => {
    if (!isNewObject(c)) return { level: "other", ...said("change.sigDictChanged") };
    const d = asDict(c.after ?? undefined);
    if (d?.name("Type") !== "DocTimeStamp" && d?.name("SubFilter") !== "ETSI.RFC3161") ctx.facts.signaturesAdded++;
    return { level: "signatures", ...said("change.sigDictAdded") };
  },
};

export const CATALOG_BY_VALUE: ChangeRule = {
  name: "K12 catalog",
  kinds: ["catalog"],
  allows:
    "signature-related catalog entries added or updated (/AcroForm, /DSS, /Extensions, /Metadata, /Version), compared by value whatever the catalog's object number; an entry removed never",
  cites: "K11, K12; fixtures catalog-renumbered, acroform-removed, dss-removed, perms-removed",
  // the catalog whatever its number: one written again under a new number is compared to the signed one
  judge: (ctx, c) => ruleCatalog(ctx, ctx.ro.catalog(), asDict(c.after ?? undefined), c.num),
};

export const FORM_DICTIONARY: ChangeRule = {
  name: "K12 form",
  kinds: ["acroform"],
  allows: "signature fields added to /Fields, /SigFlags set, default resources and appearance",
  cites: "K12; fixtures nd30-personal-then-organization, empty-sig-field-added",
  judge: (ctx, c) => ruleAcroForm(ctx, asDict(c.before ?? undefined), asDict(c.after ?? undefined)),
};

export const FIELD_LIST: ChangeRule = {
  name: "K12 field list",
  kinds: ["fields"],
  allows: "signature fields added; no field removed, no other kind of field added",
  cites: "K12; fixtures nd30-personal-then-organization",
  judge: (ctx, c) => ruleFieldList(ctx, c.before ?? undefined, c.after ?? undefined),
};

export const FORM_RESOURCES: ChangeRule = {
  name: "K6 form resources",
  kinds: ["dr"],
  allows: "the form's default resources updated (fonts for filled fields)",
  cites: "K6; fixture form-filled-after-approval",
  judge: () => ({ level: "form-fill", ...said("change.formResources") }),
};

export const FORM_FIELDS: ChangeRule = {
  name: "K7 form field",
  kinds: ["field", "sigfield", "widget"],
  allows:
    "an unsigned signature field signed, a signature field added with its signature (or empty, a form change), a field filled (value and appearance) unless a signature locked it; never an already signed field changed or a widget emptied",
  cites: "K7, K12, K13; fixtures form-filled-after-approval, lock-*, empty-sig-field-added*, widget-blanked",
  judge: (ctx, c) => ruleFormObject(ctx, c.num, c.role, asDict(c.before ?? undefined), asDict(c.after ?? undefined)),
};

export const APPEARANCES: ChangeRule = {
  name: "K14 appearance",
  kinds: ["ap"],
  allows: "the appearance of a signature being signed, of a field filled, of an annotation; never that of an already signed field",
  cites: "K14; fixtures appearance-reuses-own, appearance-shared-with-page",
  judge: (ctx, c) => {
    const role = c.role;
    if (role.ownerKind === "annot") return { level: "annotations", ...said("change.annotAppearance") };
    const ownerDict = role.owner !== undefined ? ctx.rn.dict(new PdfRef(role.owner, 0)) : undefined;
    if (role.ownerKind === "sig" || (ownerDict && role.owner !== undefined && isSigObject(ctx, role.owner, ownerDict))) {
      if (role.owner !== undefined && ctx.signedOld.has(role.owner)) return { level: "other", ...said("change.signedAppearance") };
      return { level: "signatures", ...said("change.sigAppearance") };
    }
    return { level: "form-fill", ...said("change.formAppearance") };
  },
};

export const ANNOTATION_LIST: ChangeRule = {
  name: "K6 annotation list",
  kinds: ["annots"],
  allows: "annotations added or removed, widgets of signature fields added",
  cites: "K6, K7; fixtures vgca-seven-signatures, tagged-annotation-p3",
  judge: (ctx, c) => ruleAnnotList(ctx, c.before ?? undefined, c.after ?? undefined, c.role.page ?? null),
};

export const ANNOTATIONS: ChangeRule = {
  name: "K6 annotation",
  kinds: ["annot"],
  allows: "an annotation added or changed (the annotations level)",
  cites: "K6; fixture tagged-annotation-p3",
  judge: (_ctx, c) => ({ level: "annotations", ...said(isNewObject(c) ? "change.annotAdded" : "change.annotChanged") }),
};

export const PAGE_BY_VALUE: ChangeRule = {
  name: "K6 page",
  kinds: ["page"],
  allows:
    "a page written again with equal values (references re-pointed to equal copies); its /Annots changed, with /Tabs and /StructParents when an annotation is added to a tagged page",
  cites: "K11, K14; fixtures resources-repointed-equal, resources-repointed-different, tagged-annotation-p2, tagged-annotation-p3, structparents-alone",
  judge: (ctx, c) => {
    const role = c.role;
    // by resolved value (K11): a key re-pointed to an equal copy is no change
    const b = asDict(c.before ?? undefined) ?? oldPage(ctx, role.page);
    const a = asDict(c.after ?? undefined);
    const keys = resolvedChangedKeys(ctx, b, a);
    if (keys.length === 0) return { level: "none", ...said("change.pageEqual"), rule: "K11 equal values" };
    // K14: /Tabs and /StructParents come with an annotation added to a tagged page, never on their own
    if (keys.includes("Annots") && keys.every((k) => PAGE_ANNOT_KEYS.has(k))) {
      const j = ruleAnnotList(ctx, ctx.ro.resolve(b?.get("Annots")) ?? [], ctx.rn.resolve(a?.get("Annots")) ?? [], role.page ?? null);
      if (keys.length > 1 && j.level !== "annotations")
        return {
          level: "other",
          ...said("change.pageChangedNoAnnot", { page: role.page ?? "?", keys: pdfNames(keys) }),
          rule: "K14 annotation bookkeeping",
        };
      return { ...j, rule: keys.length > 1 ? "K14 annotation bookkeeping" : "K6 annotation list" };
    }
    return { level: "other", ...said("change.pageChanged", { page: role.page ?? "?", keys: pdfNames(keys) }) };
  },
};

export const PAGE_TREE: ChangeRule = {
  name: "K6 page tree",
  kinds: ["pages"],
  allows: "only producer stamps on the page tree (iText's /ITXT); never pages added, removed or reordered",
  cites: "K6; fixtures page-added-after-signing, corpus dss__pkcs7_sha1",
  judge: (ctx, c) => {
    const keys = changedKeys(asDict(c.before ?? undefined), asDict(c.after ?? undefined), ctx.buf);
    if (c.before && keys.length && keys.every((k) => ctx.options.pageTreeStamps.has(k))) return { level: "signatures", ...said("change.producerStamp") };
    return { level: "other", ...said("change.pageTree") };
  },
};

export const STRUCTURE_RULE = "K14 logical structure";

/** The items of a /K, /Nums or /Kids value (a single item is a list of one). */
function itemsOf(r: RevisionView, v: PdfObject | undefined): PdfObject[] {
  const x = r.resolve(v);
  if (x === undefined || x === null) return [];
  return Array.isArray(x) ? x : [v as PdfObject];
}

/** True when every item of `before` is still in `after`, in the same order (items may be added). */
function onlyGrows(ctx: RuleContext, before: PdfObject[], after: PdfObject[]): boolean {
  let j = 0;
  for (const b of before) {
    while (j < after.length && !sameItem(ctx, b, after[j]!)) j++;
    if (j === after.length) return false;
    j++;
  }
  return true;
}

function sameItem(ctx: RuleContext, a: PdfObject, b: PdfObject): boolean {
  if (a instanceof PdfRef && b instanceof PdfRef && a.num === b.num) return true;
  return resolvedEqual(ctx, a, b, new Set(), { left: 2_000 });
}

/**
 * The keys of a structure object (or of the parent tree it re-points to) that changed otherwise than by
 * growing: children, parent-tree entries and number-tree kids may be added, limits and the next key
 * follow; anything else rewritten or removed is content (K14).
 */
function structureNotGrown(ctx: RuleContext, before: PdfObject | undefined, after: PdfObject | undefined, depth = 0): string[] {
  const b = ctx.ro.resolve(before);
  const a = ctx.rn.resolve(after);
  if (Array.isArray(b) || Array.isArray(a)) return Array.isArray(b) && Array.isArray(a) && onlyGrows(ctx, b, a) ? [] : ["entries"];
  const bd = asDict(b ?? undefined);
  const ad = asDict(a ?? undefined);
  const bad: string[] = [];
  for (const k of resolvedChangedKeys(ctx, bd, ad)) {
    if (k === "Limits" || k === "ParentTreeNextKey") continue;
    if (k === "K" || k === "Nums" || k === "Kids") {
      if (!onlyGrows(ctx, itemsOf(ctx.ro, bd?.get(k)), itemsOf(ctx.rn, ad?.get(k)))) bad.push(k);
    } else if (k === "ParentTree" && depth < 8) bad.push(...structureNotGrown(ctx, bd?.get(k), ad?.get(k), depth + 1).map((x) => `${k}/${x}`));
    else bad.push(k);
  }
  return bad;
}

export const LOGICAL_STRUCTURE: ChangeRule = {
  name: STRUCTURE_RULE,
  kinds: ["structure"],
  allows:
    "only the bookkeeping of an allowed annotation or signature widget: new structure elements, children and parent-tree entries added (nothing rewritten or removed); its level is that of what was added (diff.ts), and structure changed with nothing added is content",
  cites: "K14; fixtures tagged-annotation-p3, tagged-p*-actualtext-changed, tagged-p*-structelem-removed, tagged-p*-objr-dropped, outline-se-signed-twice",
  judge: (ctx, c) => {
    if (isNewObject(c)) return { level: "signatures", ...said("change.structureAdded") };
    const bad = structureNotGrown(ctx, c.before ?? undefined, c.after ?? undefined);
    if (bad.includes("entries")) return { level: "other", ...said("change.structureRewritten"), rule: "K14 structure is content" };
    if (bad.length) return { level: "other", ...said("change.structureElementRewritten", { keys: pdfNames(bad) }), rule: "K14 structure is content" };
    return { level: "signatures", ...said("change.structureEntriesAdded") };
  },
};

export const PERMISSIONS: ChangeRule = {
  name: "K12 permissions",
  kinds: ["perms"],
  allows: "nothing: /Perms (the certification's DocMDP) stays as signed",
  cites: "K12; fixture perms-removed",
  judge: () => ({ level: "other", ...said("change.perms") }),
};

export const NAME_TREES: ChangeRule = {
  name: "K6 name trees",
  kinds: ["names"],
  allows: "named annotation appearances (/AP) updated with comments",
  cites: "K6; corpus pyhanko files with comments",
  judge: (ctx, c) => {
    const keys = changedKeys(asDict(c.before ?? undefined), asDict(c.after ?? undefined), ctx.buf);
    if (keys.every((k) => k === "AP")) return { level: "annotations", ...said("change.namedAppearances") };
    return { level: "other", ...said("change.nameTrees", { keys: pdfNames(keys) }) };
  },
};

export const FIELD_OWN_DATA: ChangeRule = {
  name: "K15 a field's own data",
  kinds: ["owned"],
  allows:
    "what a new field or widget reaches through a key no rule knows (iText 5's /DR, /MK, a vendor's dictionary), new in the update and reached from nothing signed nor from content, judged with its field; the same data of a field that existed when signing changed: an unrecognised change",
  cites: "K15; fixtures vgca-chain-*, vendor-key-new-field, vendor-key-signed-field",
  judge: (ctx, c) => {
    const role = c.role;
    if (isNewObject(c) && !ctx.oldRoles.has(c.num)) {
      // the referrer (the field, or an object it already had) is judged by its own rule
      return role.ownerKind === "sig" ? { level: "signatures", ...said("change.sigFieldData") } : { level: "form-fill", ...said("change.formFieldData") };
    }
    return { level: "unrecognised", ...said("change.unrecognisedData", { via: role.via ?? "?", field: role.owner ?? "?" }), rule: "K15 unrecognised change" };
  },
};

/** The default change policy: every rule, each judging the uses it names. Content (`other`) has none. */
export const DEFAULT_RULES: readonly ChangeRule[] = [
  LONG_TERM_DATA,
  SIGNATURE_DICTIONARY,
  CATALOG_BY_VALUE,
  FORM_DICTIONARY,
  FIELD_LIST,
  FORM_RESOURCES,
  FORM_FIELDS,
  APPEARANCES,
  ANNOTATION_LIST,
  ANNOTATIONS,
  PAGE_BY_VALUE,
  PAGE_TREE,
  LOGICAL_STRUCTURE,
  PERMISSIONS,
  NAME_TREES,
  FIELD_OWN_DATA,
];

/**
 * A change policy as a value: the rules (approvers) that judge each use of a changed object, and their
 * allow-lists. Passed to diffRevisions by the verifier (VerifyOptions.changePolicy); a use no rule of the
 * policy judges is content. What an unrecognised change is worth is the severity table's (policy.ts).
 */
export interface ChangePolicy {
  readonly rules: readonly ChangeRule[];
  readonly options: ChangeRuleOptions;
}

export const DEFAULT_CHANGE_POLICY: ChangePolicy = Object.freeze({ rules: DEFAULT_RULES, options: DEFAULT_RULE_OPTIONS });

const byKind = new WeakMap<readonly ChangeRule[], ReadonlyMap<RoleKind, ChangeRule>>();
/** The policy's rules by the use they judge (the first rule naming a use judges it). */
export function rulesByKind(rules: readonly ChangeRule[]): ReadonlyMap<RoleKind, ChangeRule> {
  let m = byKind.get(rules);
  if (!m) {
    const map = new Map<RoleKind, ChangeRule>();
    for (const r of rules) for (const k of r.kinds) if (!map.has(k)) map.set(k, r);
    byKind.set(rules, (m = map));
  }
  return m;
}

/** Judges one use of one changed object by the rule for that use; a use no rule judges is `other`. */
export function judgeChange(
  ctx: RuleContext,
  c: ChangeInput,
  rules: ReadonlyMap<RoleKind, ChangeRule> = rulesByKind(DEFAULT_RULES),
): Judgement & { rule: string } {
  const rule = rules.get(c.role.kind);
  if (!rule) return { level: "other", ...said(isNewObject(c) ? "change.contentAdded" : "change.contentChanged"), rule: "K6 content (no rule allows a change)" };
  const j = rule.judge(ctx, c);
  return { ...j, rule: j.rule ?? rule.name };
}
