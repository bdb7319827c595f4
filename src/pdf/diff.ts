// K6 + K7: what changed between a signed revision and a later one, found by resolving objects in both (not
// by reading what the update appends), each change judged by the rule for its use (change-rules.ts).
// Whatever no rule allows is `other`. Levels: none < signatures < form-fill < annotations < other.
import {
  DEFAULT_CHANGE_POLICY,
  dedupe,
  judgeChange,
  levelRank,
  maxLevel,
  ruleCatalog,
  rulesByKind,
  STRUCTURE_RULE,
  type ChangePolicy,
  type Change,
  type ChangeFacts,
  type ChangeLevel,
  type FieldLock,
  type RuleContext,
} from "./change-rules.js";
import { mentions, said } from "./change-words.js";
import type { PdfDocument } from "./document.js";
import type { Phrase } from "../words/phrase.js";
import { changedKeys, pdfEqual } from "./equal.js";
import { type PdfDict, PdfString } from "./objects.js";
import { objectRoles, type Role, type RoleMap, TRAILER_PLUMBING } from "./roles.js";
import { signatureFields } from "./signatures.js";

export {
  DEFAULT_CHANGE_POLICY,
  isLocked,
  levelRank,
  maxLevel,
  type ChangePolicy,
  type Change,
  type ChangeFacts,
  type ChangeLevel,
  type FieldLock,
} from "./change-rules.js";

/** Where an object is used in the delivered document, in words: "page 2", "appearance of field 41", "catalog". */
function useOf(role: Role): string {
  const of = role.owner !== undefined ? ` of field ${role.owner}` : role.page !== undefined ? ` of page ${role.page}` : "";
  return `${role.kind}${of}`;
}

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
  if (!set)
    m.set(
      rev,
      (set = new Set(
        signatureFields(doc.at(rev))
          .filter((f) => f.value !== undefined && f.num !== null)
          .map((f) => f.num!),
      )),
    );
  return set;
}

export function diffRevisions(doc: PdfDocument, older: number, newer: number, policy: ChangePolicy = DEFAULT_CHANGE_POLICY): ChangeFacts {
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
  const rules = rulesByKind(policy.rules);
  const signedOld = signedFieldsOf(doc, older);
  const ctx: RuleContext = {
    ro,
    rn,
    buf,
    signedOld,
    facts,
    newRoles,
    oldRoles: rolesOf(doc, older),
    options: policy.options,
    locks: locksOf(doc, older),
    emptyFields: new Set(),
  };

  for (const key of trailerKeys) {
    if (key === "Root") {
      add({ ...ruleCatalog(ctx, ro.catalog(), rn.catalog(), null), rule: "K11 catalog by value" });
    } else if (key === "Info") add({ num: null, level: "signatures", ...said("change.trailerInfo"), rule: "K7 document information" });
    else add({ num: null, level: "other", ...said("change.trailerKey", { key }), rule: "K6 trailer" });
  }
  for (const n of changed) {
    const roles = newRoles.get(n) ?? [];
    if (roles.length === 0) continue; // not reachable in the document as delivered (K9)
    // K11: an object new in this update, that nothing in the signed revision referred to, and that only
    // content uses, shows only through the objects that now refer to it; each of those changed and is
    // judged by its resolved value (a page re-pointed to an equal copy is unchanged, to another is not)
    if (ro.get(n) === null && roles.every((r) => r.kind === "other") && !rolesOf(doc, older).has(n)) continue;
    let level: ChangeLevel = "none";
    let rule = "K11 equal values";
    let use = useOf(roles[0]!);
    const whats: Array<{ what: string; phrase: Phrase }> = [];
    for (const role of dedupe(roles)) {
      const c = judgeChange(ctx, { num: n, role, before: ro.get(n), after: rn.get(n) }, rules);
      // the rule and use named are those that judged the most severe use of the object
      if (levelRank(c.level) > levelRank(level) || (c.level === level && c.level !== "none" && whats.length === 0)) ((rule = c.rule), (use = useOf(role)));
      level = maxLevel(level, c.level);
      if (c.level !== "none" && !whats.some((w) => w.what === c.what)) whats.push(c);
    }
    add({
      num: n,
      level,
      ...(whats.length ? said("change.object", { num: n, what: whats.map((w) => w.phrase) }) : said("change.objectRewritten", { num: n })),
      rule,
      use,
    });
  }
  return finish();

  function finish(): ChangeFacts {
    // K14: structure bookkeeping takes the level of what it accompanies; with nothing added it is content
    const bookkeeping = facts.changes.filter((c) => c.rule === STRUCTURE_RULE && c.level === "signatures");
    if (bookkeeping.length) {
      const addedWidgets = facts.signaturesAdded > 0 || facts.changes.some((c) => mentions(c.phrase, ["change.sigFieldAdded", "change.emptySigField"]));
      const level: ChangeLevel = facts.annotationsAdded.length ? "annotations" : addedWidgets ? "signatures" : "other";
      for (const c of bookkeeping) {
        c.level = level;
        if (level === "other") Object.assign(c, said("change.nothingAdded", { what: c.phrase }));
      }
      facts.level = facts.changes.reduce<ChangeLevel>((l, c) => maxLevel(l, c.level), "none");
    }
    // objects that could not be read in the revisions compared make the comparison untrustworthy
    if (doc.problems.some((p) => p.revision === null || p.revision >= older)) facts.unreadable = true;
    return facts;
  }
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
    if (Array.isArray(refs))
      for (const x of refs) {
        const ref = r.dict(x);
        if (ref?.name("TransformMethod") === "FieldMDP") sources.push(r.dict(ref.get("TransformParams")));
      }
    for (const d of sources) {
      const action = d?.name("Action");
      if (action !== "All" && action !== "Include" && action !== "Exclude") continue;
      const list = r.resolve(d!.get("Fields"));
      const fields = Array.isArray(list)
        ? list
            .map((x) => r.resolve(x))
            .filter((x): x is PdfString => x instanceof PdfString)
            .map((x) => x.text())
        : [];
      locks.push({ action, fields });
    }
  }
  m.set(rev, locks);
  return locks;
}
