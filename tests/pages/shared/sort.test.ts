// How the pages' tables sort, without a browser: Vietnamese collation, numbers inside text, numeric
// columns as numbers, a second click turning the order round, ties kept in their order.
import { describe, expect, it } from "vitest";
import { clickSort, compareKeys, sortRows, UNSORTED } from "../../../src/pages/shared/sort.js";

describe("compareKeys", () => {
  it("sorts Vietnamese names by the Vietnamese alphabet (Đ after D, Ủy among the U)", () => {
    const names = ["Ủy ban nhân dân xã Tân Hòa", "Đài Phát thanh", "Sở Y tế", "Ban Dân tộc", "Văn phòng UBND", "Dân tộc"];
    expect([...names].sort((x, y) => compareKeys(x, y, false))).toEqual([
      "Ban Dân tộc",
      "Dân tộc",
      "Đài Phát thanh",
      "Sở Y tế",
      "Ủy ban nhân dân xã Tân Hòa",
      "Văn phòng UBND",
    ]);
  });
  it("compares numbers inside text as numbers (2/UBND before 10/UBND)", () => {
    expect(compareKeys("2/UBND", "10/UBND", false)).toBeLessThan(0);
  });
  it("compares a numeric column as numbers, not as text (9 before 10, a fraction before 1)", () => {
    expect(compareKeys("9", "10", true)).toBeLessThan(0);
    expect(compareKeys("0.925", "1", true)).toBeLessThan(0);
    expect(compareKeys("-1", "0", true)).toBeLessThan(0);
  });
});

describe("sorting rows", () => {
  const rows = [{ k: "3" }, { k: "10" }, { k: "1" }, { k: "3", tie: true }];
  it("starts ascending, or descending for columns that read largest first, and a second click turns it round", () => {
    const first = clickSort(UNSORTED, 3, false);
    expect(first).toEqual({ col: 3, dir: 1 });
    expect(clickSort(first, 3, false)).toEqual({ col: 3, dir: -1 });
    expect(clickSort(UNSORTED, 3, true)).toEqual({ col: 3, dir: -1 });
    // another column starts afresh, whatever the last one's direction
    expect(clickSort({ col: 3, dir: -1 }, 5, false)).toEqual({ col: 5, dir: 1 });
  });
  it("sorts numerically both ways, keeping tied rows in their order", () => {
    expect(sortRows(rows, (r) => r.k, { col: 0, dir: 1 }, true)).toEqual([{ k: "1" }, { k: "3" }, { k: "3", tie: true }, { k: "10" }]);
    expect(sortRows(rows, (r) => r.k, { col: 0, dir: -1 }, true)).toEqual([{ k: "10" }, { k: "3" }, { k: "3", tie: true }, { k: "1" }]);
    expect(rows[0]).toEqual({ k: "3" }); // the rows given are left as they were
  });
});
