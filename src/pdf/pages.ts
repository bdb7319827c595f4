// The page tree, walked with a visited set and a depth bound (a hostile /Kids loop ends the walk).
import { PdfDict, PdfRef, type PdfObject } from "./objects.js";
import type { Resolver } from "./resolver.js";

export interface PageRef {
  /** object number of the page dictionary, or null for a direct (malformed) page */
  num: number | null;
  dict: PdfDict;
}

export function listPages(r: Pick<Resolver, "catalog" | "dict" | "resolve">, max = 100_000): PageRef[] {
  const out: PageRef[] = [];
  const root = r.catalog()?.get("Pages");
  const seen = new Set<number>();
  const walk = (o: PdfObject | undefined, depth: number): void => {
    if (depth > 64 || out.length >= max) return;
    let num: number | null = null;
    if (o instanceof PdfRef) {
      if (seen.has(o.num)) return;
      seen.add(o.num);
      num = o.num;
    }
    const d = r.dict(o);
    if (!d) return;
    const kids = r.resolve(d.get("Kids"));
    if (d.name("Type") === "Pages" || (Array.isArray(kids) && d.name("Type") !== "Page")) {
      if (Array.isArray(kids)) for (const k of kids) walk(k, depth + 1);
      return;
    }
    out.push({ num, dict: d });
  };
  walk(root, 0);
  return out;
}

/** The declared page count of the root page-tree node, when it is a sane number. */
export function declaredPageCount(r: Resolver): number | null {
  const pages = r.dict(r.catalog()?.get("Pages"));
  const n = r.resolve(pages?.get("Count"));
  return typeof n === "number" && Number.isInteger(n) && n >= 0 ? n : null;
}
