// What the headline says of the trend, without a browser: nothing where no trend was computed, a
// projection while its month is to come, missed once that month is past, reached when the rate is there.
import { describe, expect, it } from "vitest";
import { monthOfDate, monthText, outlook, readerMonth } from "../../../src/pages/dashboard/headline.js";

describe("outlook", () => {
  const up = { slopePerMonth: 0.02, projectedMonth: "2025-03" };
  it("judges no trend the API did not compute (a month, one month with documents)", () => {
    expect(outlook(0.5, 0.9, { slopePerMonth: null, projectedMonth: null }, "2025-01")).toEqual({ kind: "none" });
    // even at the target: the headline's rate says that, not a trend
    expect(outlook(0.95, 0.9, { slopePerMonth: null, projectedMonth: null }, "2025-01")).toEqual({ kind: "none" });
  });
  it("words a month to come as a projection, the current month included", () => {
    expect(outlook(0.5, 0.9, up, "2025-01")).toEqual({ kind: "projected", month: "2025-03" });
    expect(outlook(0.5, 0.9, up, "2025-03")).toEqual({ kind: "projected", month: "2025-03" });
  });
  it("words a projected month already past as missed", () => {
    expect(outlook(0.5, 0.9, up, "2025-04")).toEqual({ kind: "missed", month: "2025-03" });
    expect(outlook(0.5, 0.9, up, "2026-12")).toEqual({ kind: "missed", month: "2025-03" });
  });
  it("says reached at or above the target, and never for a trend that does not reach it", () => {
    expect(outlook(0.9, 0.9, up, "2026-12")).toEqual({ kind: "reached" });
    expect(outlook(0.5, 0.9, { slopePerMonth: -0.01, projectedMonth: null }, "2025-01")).toEqual({ kind: "never" });
  });
  it("writes months as MM/YYYY and the reader's month from local time", () => {
    expect(monthText("2025-03")).toBe("03/2025");
    expect(monthOfDate(new Date(2025, 0, 31, 23, 59))).toBe("2025-01");
    expect(monthOfDate(new Date(2025, 11, 1))).toBe("2025-12");
  });
  it("judges a projection against the reader's reporting month: under Nghị định 09 the 15th starts the next", () => {
    expect(readerMonth(new Date(2025, 2, 14, 23, 0), "nd09")).toBe("2025-03");
    expect(readerMonth(new Date(2025, 2, 15), "nd09")).toBe("2025-04");
    expect(readerMonth(new Date(2025, 11, 20), "nd09")).toBe("2026-01");
    expect(readerMonth(new Date(2025, 2, 20), "calendar")).toBe("2025-03");
    // a projected April read on 20 March is the current reporting month under nd09, not missed, not ahead
    expect(outlook(0.8, 0.9, { slopePerMonth: 0.05, projectedMonth: "2025-04" }, readerMonth(new Date(2025, 2, 20), "nd09"))).toEqual({
      kind: "projected",
      month: "2025-04",
    });
    expect(outlook(0.8, 0.9, { slopePerMonth: 0.05, projectedMonth: "2025-03" }, readerMonth(new Date(2025, 2, 20), "nd09"))).toEqual({
      kind: "missed",
      month: "2025-03",
    });
  });
});
