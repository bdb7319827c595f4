// DOM helpers every page uses: finding its elements, making new ones (text only: data never becomes
// markup), saving a blob as a file, sortable table headers, and where focus goes (an error said, the rows of
// a long table as one Tab stop).
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
export function sortable(
  table: HTMLElement,
  tbody: HTMLElement,
  numeric: (col: number) => boolean = () => false,
  firstDescending: (col: number) => boolean = () => false,
  initial: SortState = UNSORTED,
): () => void {
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

/**
 * Says `message` in an alert (role=alert, tabindex -1) and moves focus to it, so a keyboard or screen reader
 * user is where the problem is said; an empty message hides it and leaves focus alone.
 */
export function sayError(alert: HTMLElement, message: string): void {
  alert.textContent = message;
  alert.hidden = !message;
  if (message) alert.focus();
}

/** Which row an arrow key moves to among `count` rows from `at` (-1: none has focus); null for other keys. */
export function rowAfterKey(key: string, at: number, count: number, page = 10): number | null {
  if (count === 0) return null;
  const last = count - 1;
  const to =
    key === "ArrowDown"
      ? at + 1
      : key === "ArrowUp"
        ? at - 1
        : key === "PageDown"
          ? at + page
          : key === "PageUp"
            ? at - page
            : key === "Home"
              ? 0
              : key === "End"
                ? last
                : null;
  return to === null ? null : Math.min(last, Math.max(0, to));
}

/**
 * Makes a table body's rows one Tab stop (a roving tabindex): Tab reaches one row, the arrow keys, Page
 * Up/Down, Home and End move among the rows shown, so a row far down is not dozens of Tabs away. Call the
 * function returned after the rows change (sorted, filtered, replaced): the row that keeps the Tab stop is
 * the one last focused while it is shown, else the first shown.
 */
export function rovingRows(tbody: HTMLElement): () => void {
  const shown = (): HTMLElement[] => [...(tbody.children as HTMLCollectionOf<HTMLElement>)].filter((tr) => !tr.hidden);
  let current: HTMLElement | null = null;
  const settle = (): void => {
    const rows = shown();
    if (!current || !rows.includes(current)) current = rows[0] ?? null;
    for (const tr of tbody.children as HTMLCollectionOf<HTMLElement>) tr.tabIndex = tr === current ? 0 : -1;
  };
  tbody.addEventListener("focusin", (e) => {
    const tr = (e.target as HTMLElement).closest("tr");
    if (tr && tr.parentElement === tbody && tr !== current) {
      current = tr;
      settle();
    }
  });
  tbody.addEventListener("keydown", (e) => {
    const rows = shown();
    const to = rowAfterKey(e.key, rows.indexOf(e.target as HTMLElement), rows.length);
    if (to === null || !(e.target instanceof HTMLTableRowElement)) return;
    e.preventDefault();
    current = rows[to]!;
    settle();
    current.focus();
  });
  return settle;
}

/** The error an API answer carries, else its HTTP status. */
export async function errorOf(r: Response): Promise<string> {
  const body = (await r.json().catch(() => null)) as { error?: { message?: string } } | null;
  return body?.error?.message ?? "HTTP " + r.status;
}
