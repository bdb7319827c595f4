// Each rule of the change policy on its own, from hand-built facts: two revisions as maps of objects, one
// changed object in one of its uses, and what the rule concludes (shared/VERIFY-CHECKS.md K6, K7, K11-K14).
// The generated fixtures judge the same rules through whole documents (tests/verify/fixtures.test.ts).
import { describe, expect, it } from "vitest";
import {
  ANNOTATION_LIST,
  ANNOTATIONS,
  APPEARANCES,
  CATALOG_BY_VALUE,
  DEFAULT_RULES,
  DEFAULT_RULE_OPTIONS,
  FIELD_LIST,
  FORM_DICTIONARY,
  FORM_FIELDS,
  FORM_RESOURCES,
  judgeChange,
  LOGICAL_STRUCTURE,
  LONG_TERM_DATA,
  NAME_TREES,
  PAGE_BY_VALUE,
  PAGE_TREE,
  PERMISSIONS,
  SIGNATURE_DICTIONARY,
  type ChangeInput,
  type ChangeRule,
  type RevisionView,
  type RuleContext,
} from "../../src/pdf/change-rules.js";
import { PdfDict, PdfName, type PdfObject, PdfRef, PdfString } from "../../src/pdf/objects.js";
import type { Role } from "../../src/pdf/roles.js";

// ---- hand-built facts --------------------------------------------------------------------------------
const n = (s: string) => new PdfName(s);
const r = (num: number) => new PdfRef(num, 0);
const str = (s: string) => new PdfString(Buffer.from(s, "latin1"), false, 0, 0);
const d = (o: Record<string, PdfObject>) => new PdfDict(new Map(Object.entries(o)), 0, 0);

/** A revision: its objects by number, and the number of its catalog. */
function view(objects: Record<number, PdfObject>, root = 1): RevisionView {
  const get = (num: number): PdfObject | null => objects[num] ?? null;
  const resolve = (o: PdfObject | undefined): PdfObject | undefined => (o instanceof PdfRef ? (get(o.num) ?? undefined) : o);
  return {
    get,
    resolve,
    dict: (o) => {
      const v = resolve(o);
      return v instanceof PdfDict ? v : undefined;
    },
    catalog: () => {
      const c = get(root);
      return c instanceof PdfDict ? c : undefined;
    },
    // an object of the same number in both revisions is a different entry unless the test says otherwise
    entry: (num) => objects[num],
  };
}

function ctx(
  before: Record<number, PdfObject>,
  after: Record<number, PdfObject>,
  more: Partial<RuleContext> = {},
  roots: [number, number] = [1, 1],
): RuleContext {
  return {
    ro: view(before, roots[0]),
    rn: view(after, roots[1]),
    buf: new Uint8Array(),
    signedOld: new Set(),
    facts: { level: "none", changes: [], annotationsAdded: [], unreadable: false, emptySignatureFields: 0, signaturesAdded: 0 },
    newRoles: new Map(),
    oldRoles: new Map(),
    options: DEFAULT_RULE_OPTIONS,
    locks: [],
    emptyFields: new Set(),
    ...more,
  };
}

const judge = (rule: ChangeRule, c: RuleContext, num: number, role: Role) =>
  rule.judge(c, { num, role, before: c.ro.get(num), after: c.rn.get(num) } satisfies ChangeInput);

const PAGE = d({ Type: n("Page"), Parent: r(2), Resources: r(20), Contents: r(11) });
const FONT = d({ Type: n("Font"), Subtype: n("Type1"), BaseFont: n("Helvetica") });

// ---- the rules ------------------------------------------------------------------------------------------
describe("every rule", () => {
  it("names what it allows and the check that needs it, and judges uses no other rule judges", () => {
    const kinds = DEFAULT_RULES.flatMap((x) => x.kinds);
    expect(new Set(kinds).size).toBe(kinds.length);
    for (const rule of DEFAULT_RULES) {
      expect(rule.name).toMatch(/^K\d+ /);
      expect(rule.cites).toMatch(/K\d+/);
      expect(rule.allows.length).toBeGreaterThan(10);
    }
  });
  it("leaves content with no rule: a change to it is other", () => {
    const c = ctx({ 11: str("BT (a) Tj ET") }, { 11: str("BT (b) Tj ET") });
    expect(judgeChange(c, { num: 11, role: { kind: "other" }, before: c.ro.get(11), after: c.rn.get(11) })).toMatchObject({
      level: "other",
      what: "content object changed",
      rule: expect.stringMatching(/^K6 content/),
    });
  });
});

describe("K7", () => {
  it("long-term data may be updated", () => {
    expect(judge(LONG_TERM_DATA, ctx({}, { 30: d({ Type: n("DSS") }) }), 30, { kind: "dss" })).toMatchObject({ level: "signatures" });
  });
  it("a signature dictionary may be added, never changed; a new signature is counted", () => {
    const c = ctx({}, { 50: d({ Type: n("Sig"), SubFilter: n("ETSI.CAdES.detached") }) });
    expect(judge(SIGNATURE_DICTIONARY, c, 50, { kind: "sigvalue" })).toMatchObject({ level: "signatures" });
    expect(c.facts.signaturesAdded).toBe(1);
    const ts = ctx({}, { 51: d({ Type: n("DocTimeStamp"), SubFilter: n("ETSI.RFC3161") }) });
    judge(SIGNATURE_DICTIONARY, ts, 51, { kind: "sigvalue" });
    expect(ts.facts.signaturesAdded).toBe(0);
    expect(judge(SIGNATURE_DICTIONARY, ctx({ 50: d({ M: str("a") }) }, { 50: d({ M: str("b") }) }), 50, { kind: "sigvalue" })).toMatchObject({
      level: "other",
    });
  });
  it("an unsigned signature field may be signed; an already signed one never changes", () => {
    const before = { 40: d({ FT: n("Sig"), T: str("Sig1"), Subtype: n("Widget") }) };
    const after = { 40: d({ FT: n("Sig"), T: str("Sig1"), Subtype: n("Widget"), V: r(50) }) };
    expect(judge(FORM_FIELDS, ctx(before, after), 40, { kind: "sigfield", owner: 40 })).toMatchObject({ level: "signatures", what: "signature field signed" });
    expect(judge(FORM_FIELDS, ctx(before, after, { signedOld: new Set([40]) }), 40, { kind: "sigfield", owner: 40 })).toMatchObject({ level: "other" });
  });
});

describe("K12", () => {
  const catalog = (o: Record<string, PdfObject>) => d({ Type: n("Catalog"), Pages: r(2), ...o });
  it("catalog entries may be added (/DSS), never removed (/AcroForm, /DSS, /Perms, any)", () => {
    expect(judge(CATALOG_BY_VALUE, ctx({ 1: catalog({}) }, { 1: catalog({ DSS: r(30) }) }), 1, { kind: "catalog" })).toMatchObject({ level: "signatures" });
    for (const key of ["AcroForm", "DSS", "Perms", "OpenAction"]) {
      const j = judge(CATALOG_BY_VALUE, ctx({ 1: catalog({ [key]: r(4) }) }, { 1: catalog({}) }), 1, { kind: "catalog" });
      expect(j, key).toMatchObject({ level: "other", what: expect.stringContaining(`/${key} removed`) });
    }
  });
  it("the form may gain signature fields and /SigFlags; the field list may only grow by signature fields", () => {
    const c = ctx(
      { 4: d({ Fields: [r(40)] }), 40: d({ FT: n("Sig") }) },
      { 4: d({ Fields: [r(40), r(41)], SigFlags: 3 }), 40: d({ FT: n("Sig") }), 41: d({ FT: n("Sig"), T: str("Sig2"), V: r(50) }) },
    );
    expect(judge(FORM_DICTIONARY, c, 4, { kind: "acroform" })).toMatchObject({ level: "signatures" });
    const removed = ctx({ 5: [r(40), r(41)] }, { 5: [r(40)] });
    expect(judge(FIELD_LIST, removed, 5, { kind: "fields" })).toMatchObject({ level: "other", what: expect.stringContaining("fields removed") });
    const text = ctx({ 5: [r(40)] }, { 5: [r(40), r(42)], 42: d({ FT: n("Tx"), T: str("Note") }) });
    expect(judge(FIELD_LIST, text, 5, { kind: "fields" })).toMatchObject({ level: "other", what: expect.stringContaining("non-signature field") });
  });
  it("an empty signature field added is a form change, counted; one added signed is part of signing", () => {
    const c = ctx({}, { 43: d({ FT: n("Sig"), T: str("Extra"), Subtype: n("Widget") }) });
    expect(judge(FORM_FIELDS, c, 43, { kind: "sigfield", owner: 43 })).toMatchObject({ level: "form-fill", what: "an empty signature field added" });
    expect(c.facts.emptySignatureFields).toBe(1);
    const signed = ctx({}, { 43: d({ FT: n("Sig"), T: str("Extra"), V: r(50) }) });
    expect(judge(FORM_FIELDS, signed, 43, { kind: "sigfield", owner: 43 })).toMatchObject({ level: "signatures" });
    expect(signed.facts.emptySignatureFields).toBe(0);
  });
  it("a widget emptied to << >> is never a form fill", () => {
    const c = ctx({ 41: d({ FT: n("Tx"), T: str("Note"), Subtype: n("Widget"), Rect: [0, 0, 1, 1] }) }, { 41: d({}) });
    expect(judge(FORM_FIELDS, c, 41, { kind: "field", owner: 41 }).level).toBe("other");
  });
  it("/Perms never changes", () => {
    expect(judge(PERMISSIONS, ctx({}, {}), 9, { kind: "perms" }).level).toBe("other");
  });
});

describe("K13", () => {
  const field = (v?: string) => d({ FT: n("Tx"), T: str("Note"), ...(v ? { V: str(v) } : {}) });
  it("a field may be filled unless a lock names it (Include), covers all (All), or does not exclude it (Exclude)", () => {
    const judgeWith = (locks: RuleContext["locks"]) =>
      judge(FORM_FIELDS, ctx({ 41: field() }, { 41: field("yes") }, { locks }), 41, { kind: "field", owner: 41 });
    expect(judgeWith([])).toMatchObject({ level: "form-fill" });
    expect(judgeWith([{ action: "Include", fields: ["Note"] }])).toMatchObject({
      level: "other",
      rule: "K13 field lock",
      what: "the locked field 'Note' was changed",
    });
    expect(judgeWith([{ action: "Include", fields: ["Other"] }])).toMatchObject({ level: "form-fill" });
    expect(judgeWith([{ action: "All", fields: [] }])).toMatchObject({ level: "other" });
    expect(judgeWith([{ action: "Exclude", fields: ["Note"] }])).toMatchObject({ level: "form-fill" });
  });
});

describe("K11", () => {
  it("a catalog written again under a new number with equal values is no change", () => {
    const cat = d({ Type: n("Catalog"), Pages: r(2) });
    const c = ctx({ 1: cat }, { 1: cat, 44: d({ Type: n("Catalog"), Pages: r(2) }) }, {}, [1, 44]);
    expect(judge(CATALOG_BY_VALUE, c, 44, { kind: "catalog" }).level).toBe("none");
  });
  it("a page whose resources are re-pointed to an equal copy is unchanged; to another font it changed", () => {
    const before = { 10: PAGE, 20: d({ Font: d({ F1: r(5) }) }), 5: FONT };
    const equal = ctx(before, {
      ...before,
      10: d({ Type: n("Page"), Parent: r(2), Resources: r(44), Contents: r(11) }),
      44: d({ Font: d({ F1: r(45) }) }),
      45: d({ Type: n("Font"), Subtype: n("Type1"), BaseFont: n("Helvetica") }),
    });
    expect(judge(PAGE_BY_VALUE, equal, 10, { kind: "page", page: 1 })).toMatchObject({ level: "none", rule: "K11 equal values" });
    const other = ctx(before, {
      ...before,
      10: d({ Type: n("Page"), Parent: r(2), Resources: r(44), Contents: r(11) }),
      44: d({ Font: d({ F1: r(45) }) }),
      45: d({ Type: n("Font"), Subtype: n("Type1"), BaseFont: n("Courier") }),
    });
    expect(judge(PAGE_BY_VALUE, other, 10, { kind: "page", page: 1 })).toMatchObject({ level: "other", what: "page 1 changed (/Resources)" });
  });
});

describe("K14", () => {
  const withAnnots = (extra: Record<string, PdfObject>) => d({ Type: n("Page"), Parent: r(2), Resources: r(20), Contents: r(11), Annots: [r(60)], ...extra });
  it("/Tabs and /StructParents come with an annotation added, never on their own", () => {
    const before = { 10: d({ Type: n("Page"), Parent: r(2), Resources: r(20), Contents: r(11), Annots: [] }) };
    const added = ctx(before, { 10: withAnnots({ Tabs: n("S"), StructParents: 1 }), 60: d({ Subtype: n("Text"), Rect: [0, 0, 1, 1] }) });
    expect(judge(PAGE_BY_VALUE, added, 10, { kind: "page", page: 1 })).toMatchObject({ level: "annotations", rule: "K14 annotation bookkeeping" });
    const alone = ctx({ 10: PAGE }, { 10: d({ Type: n("Page"), Parent: r(2), Resources: r(20), Contents: r(11), StructParents: 7 }) });
    expect(judge(PAGE_BY_VALUE, alone, 10, { kind: "page", page: 1 })).toMatchObject({ level: "other", what: "page 1 changed (/StructParents)" });
  });
  it("an appearance may change with its field (unless already signed) or its annotation", () => {
    expect(judge(APPEARANCES, ctx({}, {}), 70, { kind: "ap", ownerKind: "form", owner: 41 })).toMatchObject({ level: "form-fill" });
    expect(judge(APPEARANCES, ctx({}, {}), 70, { kind: "ap", ownerKind: "annot" })).toMatchObject({ level: "annotations" });
    expect(judge(APPEARANCES, ctx({}, {}), 70, { kind: "ap", ownerKind: "sig", owner: 40 })).toMatchObject({ level: "signatures" });
    expect(judge(APPEARANCES, ctx({}, {}, { signedOld: new Set([40]) }), 70, { kind: "ap", ownerKind: "sig", owner: 40 })).toMatchObject({ level: "other" });
  });
  it("the logical structure may be updated with what is added", () => {
    expect(judge(LOGICAL_STRUCTURE, ctx({}, {}), 80, { kind: "structure" }).level).toBe("signatures");
  });
});

describe("K6", () => {
  it("annotations may be added or removed; a widget added must be a signature field's", () => {
    const c = ctx({ 12: [] }, { 12: [r(60)], 60: d({ Subtype: n("Text"), Rect: [0, 0, 1, 1] }) });
    expect(judge(ANNOTATION_LIST, c, 12, { kind: "annots", page: 1 }).level).toBe("annotations");
    expect(c.facts.annotationsAdded).toEqual([{ page: 1, subtype: "Text" }]);
    const widget = ctx({ 12: [] }, { 12: [r(61)], 61: d({ Subtype: n("Widget"), FT: n("Tx"), T: str("Note") }) });
    expect(judge(ANNOTATION_LIST, widget, 12, { kind: "annots", page: 1 }).level).toBe("other");
    expect(judge(ANNOTATIONS, ctx({}, { 60: d({}) }), 60, { kind: "annot" })).toMatchObject({ level: "annotations", what: "annotation added" });
    // K12: a comment may be removed, a widget never
    expect(judge(ANNOTATION_LIST, ctx({ 12: [r(60)], 60: d({ Subtype: n("Text") }) }, { 12: [] }), 12, { kind: "annots", page: 1 }).level).toBe("annotations");
    expect(
      judge(ANNOTATION_LIST, ctx({ 12: [r(41)], 41: d({ Subtype: n("Widget"), FT: n("Tx") }) }, { 12: [] }), 12, { kind: "annots", page: 1 }),
    ).toMatchObject({ level: "other", rule: "K12 widget removed" });
  });
  it("the page tree takes producer stamps only", () => {
    const pages = d({ Type: n("Pages"), Kids: [r(10)], Count: 1 });
    expect(judge(PAGE_TREE, ctx({ 2: pages }, { 2: d({ Type: n("Pages"), Kids: [r(10)], Count: 1, ITXT: str("5.5") }) }), 2, { kind: "pages" }).level).toBe(
      "signatures",
    );
    expect(judge(PAGE_TREE, ctx({ 2: pages }, { 2: d({ Type: n("Pages"), Kids: [r(10), r(14)], Count: 2 }) }), 2, { kind: "pages" }).level).toBe("other");
  });
  it("form resources may be updated; name trees only in their named appearances", () => {
    expect(judge(FORM_RESOURCES, ctx({}, {}), 6, { kind: "dr" }).level).toBe("form-fill");
    expect(judge(NAME_TREES, ctx({ 7: d({ AP: r(90) }) }, { 7: d({ AP: r(91) }) }), 7, { kind: "names" }).level).toBe("annotations");
    expect(judge(NAME_TREES, ctx({ 7: d({}) }, { 7: d({ JavaScript: r(92) }) }), 7, { kind: "names" }).level).toBe("other");
  });
});
