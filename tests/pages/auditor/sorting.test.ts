// The list's sort, without a browser: each sortable column asks the server for its order, a second click
// the other way, the received column newest first; subject and status do not sort.
import { describe, expect, it } from "vitest";
import { firstDescending, OPENING_SORT, serverSort, sortsBy } from "../../../src/pages/auditor/sorting.js";
import { clickSort } from "../../../src/pages/shared/sort.js";
import { DOCUMENT_SORTS } from "../../../src/store/document-list/sorts.js";

const click = (s: typeof OPENING_SORT, col: number) => clickSort(s, col, firstDescending(col));

describe("the list's server sort", () => {
  it("opens newest received first, and turns round on a second click", () => {
    expect(serverSort(OPENING_SORT)).toBe("received-desc");
    expect(serverSort(click(OPENING_SORT, 0))).toBe("received-asc");
  });
  it("asks each column's order, ascending first, the other way on a second click", () => {
    const byNumber = click(OPENING_SORT, 1);
    expect(serverSort(byNumber)).toBe("number");
    expect(serverSort(click(byNumber, 1))).toBe("number-desc");
    expect(serverSort(click(OPENING_SORT, 3))).toBe("sender");
    expect(serverSort(click(click(OPENING_SORT, 4), 4))).toBe("category-desc");
  });
  it("asks only orders the API has, and sorts neither subject nor status", () => {
    for (const col of [0, 1, 3, 4]) for (const dir of [1, -1] as const) expect(DOCUMENT_SORTS).toContain(serverSort({ col, dir }));
    expect([2, 5, 6].map(sortsBy)).toEqual([false, false, false]);
  });
});
