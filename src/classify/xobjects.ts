// What a `Do` operator draws, for both walks of a page (its evidence, its text): the XObject it names in
// the resources, and the bounds a form XObject is entered under (a depth limit, and no form drawing
// itself, however indirectly).
import { PdfError } from "../pdf/errors.js";
import { type PdfDict, PdfName, PdfRef, PdfStream } from "../pdf/objects.js";
import type { Resolver } from "../pdf/resolver.js";
import type { Operand } from "./content-ops.js";

/** Form XObjects nested deeper than this are refused (a real page nests two or three). */
export const MAX_FORM_DEPTH = 12;

/** The XObject `Do` names, with its object number (-1 for a direct one); null when there is none. */
export function drawnXObject(r: Resolver, xobjects: PdfDict | undefined, operand: Operand | undefined): { x: PdfStream; num: number; name: string } | null {
  if (!(operand instanceof PdfName)) return null;
  const ref = xobjects?.get(operand.name);
  const x = r.resolve(ref);
  if (!(x instanceof PdfStream)) return null;
  return { x, num: ref instanceof PdfRef ? ref.num : -1, name: operand.name };
}

/** The forms being drawn once form `num` is entered at `depth`; a LIMIT or SYNTAX error when it may not be. */
export function enterForm(depth: number, num: number, seen: Set<number>): Set<number> {
  if (depth >= MAX_FORM_DEPTH) throw new PdfError("LIMIT", "form XObjects nested too deeply");
  if (num >= 0 && seen.has(num)) throw new PdfError("SYNTAX", "a form XObject draws itself");
  const inner = new Set(seen);
  if (num >= 0) inner.add(num);
  return inner;
}
