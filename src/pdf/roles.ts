// What each object is used for in one revision, found by walking everything reachable from the trailer.
// An object reached along several paths has several roles; a change is only allowed when every role
// allows it (a shadow attack hides a page resource behind an "appearance stream" or "metadata" role).
import { PdfDict, PdfName, type PdfObject, PdfRef, PdfStream } from "./objects.js";
import type { Resolver } from "./resolver.js";

export type RoleKind =
  | "catalog"
  | "info"
  | "metadata"
  | "dss"
  | "extensions"
  | "acroform"
  | "fields"
  | "dr"
  | "field"
  | "sigfield"
  | "sigvalue"
  | "widget"
  | "annots"
  | "annot"
  | "ap"
  | "pages"
  | "page"
  | "perms"
  | "names"
  | "structure"
  | "owned"
  | "other";

/**
 * `other` is content: what a page, the catalog or the trailer reaches through a key no rule knows.
 * `owned` (K15) is what a field or widget reaches through a key no rule knows (iText 5's /DR naming the
 * appearance form, /MK, a vendor's private dictionary): the field's own data, judged with the field, never
 * taken for page content.
 */
export interface Role {
  kind: RoleKind;
  /** for `ap`, `widget`, `sigvalue`, `owned`: the object number of the field that owns it, if known */
  owner?: number;
  /** for `ap` and `owned`: whose appearance or data it is */
  ownerKind?: "sig" | "form" | "annot";
  /** for `owned`: the key of the field or widget it was reached by */
  via?: string;
  /** for `page` and `annot`: the page number (1-based) */
  page?: number;
}

export type RoleMap = Map<number, Role[]>;

const MAX_VISITS = 2_000_000;
/** The most common role, shared (roles are never modified): the walk allocates nothing for it. */
const OTHER: Role = Object.freeze({ kind: "other" });

/** Walks one revision from its trailer and returns the roles of every reachable indirect object. */
export function objectRoles(r: Resolver): RoleMap {
  const roles: RoleMap = new Map();
  let visits = 0;
  let pageNo = 0;

  // Records a role once per object (role lists are short: a linear check beats building keys).
  const tag = (num: number, role: Role): boolean => {
    const list = roles.get(num);
    if (!list) {
      roles.set(num, [role]);
      return true;
    }
    for (const r of list) if (r === role || (r.kind === role.kind && r.owner === role.owner && r.ownerKind === role.ownerKind)) return false;
    list.push(role);
    return true;
  };

  const visit = (o: PdfObject | undefined, role: Role, depth = 0): void => {
    if (o === undefined || o === null || depth > 200 || ++visits > MAX_VISITS) return;
    if (o instanceof PdfRef) {
      const target = r.get(o.num);
      // A link from secondary data (structure tree, outlines, a UR3 /Data) to a page, annotation, field,
      // signature or the catalog does not make it secondary data: it is judged where it really lives.
      // A field's /V is where its signature dictionary lives: that link is its home (K12 counts it).
      if (LINKING_ROLES.has(role.kind) && isStructural(target) && !(role.kind === "sigvalue" && isSignatureDict(target))) return;
      if (!tag(o.num, role)) return;
      visit(target, role, depth + 1);
      return;
    }
    if (Array.isArray(o)) {
      for (const x of o) if (mayHoldRefs(x)) visit(x, role, depth + 1);
      return;
    }
    const d = o instanceof PdfStream ? o.dict : o instanceof PdfDict ? o : null;
    if (!d) return;
    d.map.forEach((v, key) => {
      if (!mayHoldRefs(v)) return;
      const child = childRole(role, key, d, v);
      if (child) visitChild(v, child, role, depth + 1);
    });
  };

  // Arrays held by a key get the parent's chosen role for the array object, and element roles inside.
  const visitChild = (v: PdfObject, child: Role | [Role, Role], _parent: Role, depth: number): void => {
    if (!Array.isArray(child)) return visit(v, child, depth);
    const [arrayRole, elemRole] = child;
    let arr: PdfObject | undefined = v;
    if (v instanceof PdfRef) {
      if (!tag(v.num, arrayRole)) return;
      arr = r.get(v.num);
    }
    if (Array.isArray(arr)) for (const x of arr) visit(x, elementRole(x, elemRole), depth + 1);
    else visit(arr, elemRole, depth + 1);
  };

  // A field or widget's role depends on its own dictionary (signature or not).
  const elementRole = (x: PdfObject, base: Role): Role => {
    if (base.kind === "sigfield") {
      // a kid of a signature field: a widget (owner: the field) or a field of its own
      const d = r.dict(x);
      const num = x instanceof PdfRef ? x.num : undefined;
      if (d?.has("T") || base.owner === undefined) return { kind: "sigfield", ...(num !== undefined ? { owner: num } : {}) };
      return base;
    }
    if (base.kind === "field" || base.kind === "annot") {
      const d = r.dict(x);
      // the owner is the field: the object itself when it has a name, else its /Parent
      const parent = d?.get("Parent");
      const num = d && !d.has("T") && parent instanceof PdfRef ? parent.num : x instanceof PdfRef ? x.num : undefined;
      if (base.kind === "annot") {
        if (d?.name("Subtype") === "Widget") return { kind: "widget", ...(num !== undefined ? { owner: num } : {}), ...(base.page ? { page: base.page } : {}) };
        return base;
      }
      if (d && fieldType(r, d) === "Sig" && !hasFieldKids(r, d)) return { kind: "sigfield", ...(num !== undefined ? { owner: num } : {}) };
      return { kind: "field", ...(num !== undefined ? { owner: num } : {}) };
    }
    return base;
  };

  const childRole = (role: Role, key: string, d: PdfDict, v: PdfObject): Role | [Role, Role] | null => {
    switch (role.kind) {
      case "catalog":
        switch (key) {
          case "AcroForm":
            return { kind: "acroform" };
          case "Pages":
            return { kind: "pages" };
          case "DSS":
            return { kind: "dss" };
          case "Metadata":
            return { kind: "metadata" };
          case "Extensions":
            return { kind: "extensions" };
          case "Perms":
            return { kind: "perms" };
          case "Names":
            return { kind: "names" };
          case "StructTreeRoot":
            return { kind: "structure" };
          default:
            return OTHER;
        }
      case "names":
        // the named-appearance tree (/AP) holds annotation icons (Acrobat adds it with comments)
        return key === "AP" ? { kind: "annot" } : OTHER;
      case "acroform":
        if (key === "Fields") return [{ kind: "fields" }, { kind: "field" }];
        if (key === "DR") return { kind: "dr" };
        return OTHER;
      case "field":
      case "sigfield":
      case "widget": {
        if (key === "Parent" || key === "P") return null; // back-links: reached from the AcroForm / page tree
        const owner = role.owner;
        const isSig = role.kind === "sigfield" || fieldType(r, d) === "Sig";
        if (key === "Kids") return [{ kind: "fields" }, { kind: isSig ? "sigfield" : "field", ...(owner !== undefined ? { owner } : {}) }];
        if (key === "AP") return { kind: "ap", ...(owner !== undefined ? { owner } : {}), ownerKind: isSig ? "sig" : "form" };
        if (key === "V" && isSig) return { kind: "sigvalue", ...(owner !== undefined ? { owner } : {}) };
        // any other key (/Lock, /SV, /DR, /MK, a vendor's): the field's own data (K15)
        return { kind: "owned", ...(owner !== undefined ? { owner } : {}), ownerKind: isSig ? "sig" : "form", via: key };
      }
      case "pages":
        if (key === "Kids") return [{ kind: "pages" }, { kind: "pages" }];
        if (key === "Parent") return null;
        if (d.name("Type") === "Page" || (!d.has("Kids") && d.name("Type") !== "Pages")) return pageChild(key);
        return OTHER;
      case "page":
        return pageChild(key);
      case "annot":
        if (key === "Parent" || key === "P" || key === "IRT") return null;
        if (key === "AP") return { kind: "ap", ownerKind: "annot" };
        return { kind: "annot", ...(role.page ? { page: role.page } : {}) };
      case "ap":
        // an appearance's resources are part of the appearance (and keep its owner)
        return key === "Parent" || key === "P" ? null : role;
      case "other":
        // an outline item's /SE links to a structure element, which is judged in the structure tree
        return key === "SE" ? null : role;
      case "info":
      case "metadata":
      case "dss":
      case "extensions":
      case "dr":
      case "sigvalue":
      case "perms":
      case "structure":
      case "owned":
        // everything below keeps the role
        return role;
      default:
        void v;
        return OTHER;
    }
  };

  const pageChild = (key: string): Role | [Role, Role] | null => {
    if (key === "Parent") return null;
    if (key === "Annots")
      return [
        { kind: "annots", page: pageNo },
        { kind: "annot", page: pageNo },
      ];
    return OTHER;
  };

  // Pages get their own walk so page numbers are known and Page dictionaries get the `page` role.
  const walkPages = (o: PdfObject | undefined, depth: number): void => {
    if (depth > 64 || ++visits > MAX_VISITS) return;
    const d = r.dict(o);
    if (!d) return;
    const kids = r.resolve(d.get("Kids"));
    const isNode = d.name("Type") === "Pages" || (Array.isArray(kids) && d.name("Type") !== "Page");
    if (o instanceof PdfRef && !tag(o.num, isNode ? { kind: "pages" } : { kind: "page", page: pageNo + 1 })) return;
    if (isNode) {
      const k = d.get("Kids");
      if (k instanceof PdfRef) tag(k.num, { kind: "pages" });
      for (const [key, v] of d.map) if (key !== "Kids" && key !== "Parent") visit(v, OTHER, depth + 1);
      if (Array.isArray(kids)) for (const kid of kids) walkPages(kid, depth + 1);
      return;
    }
    pageNo++;
    for (const [key, v] of d.map) {
      const child = pageChild(key);
      if (child) visitChild(v, child, { kind: "page" }, depth + 1);
    }
  };

  const trailer = r.trailer;
  for (const [key, v] of trailer.map) {
    if (key === "Root") {
      if (v instanceof PdfRef) tag(v.num, { kind: "catalog" });
      const cat = r.dict(v);
      if (!cat) continue;
      for (const [ck, cv] of cat.map) {
        if (ck === "Pages") walkPages(cv, 0);
        else {
          const child = childRole({ kind: "catalog" }, ck, cat, cv);
          if (child) visitChild(cv, child, { kind: "catalog" }, 1);
        }
      }
    } else if (key === "Info") visit(v, { kind: "info" });
    else if (!TRAILER_PLUMBING.has(key)) visit(v, OTHER);
  }
  return roles;
}

/** Trailer keys that belong to the file structure, not the document. /AdditionalStreams: Acrobat's
 * embedded source documents, never rendered (dss__pades-ltv.pdf adds one in every revision). */
export const TRAILER_PLUMBING = new Set([
  "Size",
  "Prev",
  "XRefStm",
  "ID",
  "Type",
  "W",
  "Index",
  "Filter",
  "DecodeParms",
  "Length",
  "DL",
  "Encrypt",
  "AdditionalStreams",
]);

const LINKING_ROLES = new Set<RoleKind>(["other", "perms", "info", "metadata", "dss", "extensions", "sigvalue", "dr", "ap", "names", "structure", "owned"]);

/** Only references, arrays and dictionaries can lead anywhere: numbers, names and strings are skipped. */
function mayHoldRefs(o: PdfObject | undefined): boolean {
  // numbers, booleans and null are most values: ruled out before any class check
  if (typeof o !== "object" || o === null) return false;
  return o instanceof PdfRef || Array.isArray(o) || o instanceof PdfDict || o instanceof PdfStream;
}

function isSignatureDict(o: PdfObject): boolean {
  const d = o instanceof PdfDict ? o : null;
  return d !== null && (d.has("ByteRange") || d.name("Type") === "Sig" || d.name("Type") === "DocTimeStamp");
}

/** Objects with a home of their own in the document structure. */
function isStructural(o: PdfObject): boolean {
  const d = o instanceof PdfDict ? o : o instanceof PdfStream ? o.dict : null;
  if (!d) return false;
  const type = d.name("Type");
  if (type === "Catalog" || type === "Page" || type === "Pages" || type === "Sig" || type === "DocTimeStamp") return true;
  if (d.has("ByteRange") || d.has("FT")) return true;
  if (d.has("Subtype") && d.has("Rect") && !(o instanceof PdfStream)) return true;
  return d.has("T") && (d.has("Kids") || d.has("Parent"));
}

export function fieldType(r: Pick<Resolver, "dict">, d: PdfDict): string | undefined {
  let cur: PdfDict | undefined = d;
  for (let i = 0; cur && i < 32; i++) {
    const ft = cur.get("FT");
    if (ft instanceof PdfName) return ft.name;
    cur = r.dict(cur.get("Parent"));
  }
  return undefined;
}

function hasFieldKids(r: Resolver, d: PdfDict): boolean {
  const kids = r.resolve(d.get("Kids"));
  return Array.isArray(kids) && kids.some((k) => r.dict(k)?.has("T"));
}
