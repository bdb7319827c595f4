// DOM helpers every page uses: finding its elements, making new ones (text only: data never becomes
// markup), saving a blob as a file, and sortable table headers.
import { clickSort, type SortState, sortRows, UNSORTED } from "./sort.js";

/** The page's element with this id (its markup is the server's: one missing is a defect of the page). */
export function $<T extends HTMLElement = HTMLElement>(id: string): T {
  const e = document.getElementById(id);
  if (!e) throw new Error(`no element #${id}`);
  return e as T;
}

/** A new element, its text set as text. */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, text?: string | number | null, cls?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (text !== undefined && text !== null) e.textContent = String(text);
  if (cls) e.className = cls;
  return e;
}

/** Sets each element's text from a word table: [id, key] pairs. */
export function label(table: Record<string, unknown>, pairs: ReadonlyArray<readonly [string, string]>): void {
  for (const [id, k] of pairs) $(id).textContent = String(table[k]);
}

/** A blob handed to the reader as a file (the API needs a bearer header, which a plain link cannot send). */
export function save(blob: Blob, name: string): void {
  const a = el("a");
  a.href = URL.createObjectURL(blob);
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 60000);
}

/**
 * Makes the header buttons (button.sort, data-col) of a table sort its rows by that column, again the
 * other way, marking aria-sort; each cell sorts by its data-key (sort.ts says how). Starts in `initial`;
 * the function returned sorts the rows again (after they are replaced) in the order last chosen.
 */
export function sortable(table: HTMLElement, tbody: HTMLElement, numeric: (col: number) => boolean = () => false, firstDescending: (col: number) => boolean = () => false, initial: SortState = UNSORTED): () => void {
  let state = initial;
  const apply = (): void => {
    table.querySelectorAll("th[aria-sort]").forEach((th) => th.removeAttribute("aria-sort"));
    if (state.col < 0) return;
    const col = state.col;
    const key = (tr: Element): string => (tr.children[col] as HTMLElement | undefined)?.dataset.key ?? "";
    tbody.replaceChildren(...sortRows([...tbody.children], key, state, numeric(col)));
    table.querySelector(`button.sort[data-col="${col}"]`)?.parentElement?.setAttribute("aria-sort", state.dir > 0 ? "ascending" : "descending");
  };
  table.querySelectorAll<HTMLButtonElement>("button.sort").forEach((b) =>
    b.addEventListener("click", () => {
      const col = Number(b.dataset.col);
      state = clickSort(state, col, firstDescending(col));
      apply();
    }),
  );
  apply();
  return apply;
}

/** The error an API answer carries, else its HTTP status. */
export async function errorOf(r: Response): Promise<string> {
  const body = (await r.json().catch(() => null)) as { error?: { message?: string } } | null;
  return body?.error?.message ?? "HTTP " + r.status;
}
