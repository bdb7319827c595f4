// A long table's rows as one Tab stop: which row each key moves to, kept within the rows shown.
import { describe, expect, it } from "vitest";
import { rowAfterKey } from "../../../src/pages/shared/dom.js";

describe("rowAfterKey", () => {
  it("moves one row with the arrows, a page with Page Up/Down, to the ends with Home and End", () => {
    expect(rowAfterKey("ArrowDown", 3, 53)).toBe(4);
    expect(rowAfterKey("ArrowUp", 3, 53)).toBe(2);
    expect(rowAfterKey("PageDown", 3, 53)).toBe(13);
    expect(rowAfterKey("PageUp", 13, 53)).toBe(3);
    expect(rowAfterKey("Home", 40, 53)).toBe(0);
    expect(rowAfterKey("End", 0, 53)).toBe(52);
  });
  it("stops at the first and the last row instead of leaving the table", () => {
    expect(rowAfterKey("ArrowDown", 52, 53)).toBe(52);
    expect(rowAfterKey("ArrowUp", 0, 53)).toBe(0);
    expect(rowAfterKey("PageDown", 48, 53)).toBe(52);
    expect(rowAfterKey("PageUp", 4, 53)).toBe(0);
  });
  it("leaves other keys (Tab, Enter, letters) to the browser, and does nothing without rows", () => {
    for (const key of ["Tab", "Enter", " ", "a"]) expect(rowAfterKey(key, 3, 53)).toBeNull();
    expect(rowAfterKey("ArrowDown", -1, 0)).toBeNull();
  });
});
