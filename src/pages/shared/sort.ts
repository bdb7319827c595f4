// How the pages' tables sort (no DOM): a click on a column sorts by it, a second click the other way;
// cells compare by their key, as numbers in numeric columns, else as Vietnamese text with numbers inside
// compared as numbers ("2/UBND" before "10/UBND").

export interface SortState {
  col: number;
  dir: 1 | -1;
}

export const UNSORTED: SortState = { col: -1, dir: 1 };

/** The state after a click on `col`: the same column again turns it round; a new one starts ascending, or descending where `firstDescending` says. */
export function clickSort(state: SortState, col: number, firstDescending: boolean): SortState {
  return { col, dir: state.col === col ? (state.dir === 1 ? -1 : 1) : firstDescending ? -1 : 1 };
}

/** Two cells' keys compared, ascending. */
export function compareKeys(x: string, y: string, numeric: boolean): number {
  return numeric ? Number(x) - Number(y) : x.localeCompare(y, "vi", { numeric: true });
}

/** Rows sorted by the keys `key` gives them, in the state's direction (a stable sort: ties keep their order). */
export function sortRows<R>(rows: readonly R[], key: (row: R) => string, state: SortState, numeric: boolean): R[] {
  return [...rows].sort((x, y) => state.dir * compareKeys(key(x), key(y), numeric));
}
