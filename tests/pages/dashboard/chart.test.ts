// The monthly chart's geometry without a browser: the scale (0 at the axis, 100 % at the top), each
// month's bar by its rate, green only at or above the target, a month at 0 % and a month without
// documents each a mark that can be seen, and every month's count of documents.
import { describe, expect, it } from "vitest";
import { CHART, chartLayout, MARK, yOf } from "../../../src/pages/dashboard/chart.js";

const month = (m: string, numerator: number, denominator: number) => ({ month: m, numerator, denominator, rate: denominator ? numerator / denominator : null });

describe("chart", () => {
  it("maps 0 to the axis and 100 % to the top of the bars, linearly", () => {
    expect(yOf(0)).toBe(CHART.top + CHART.h);
    expect(yOf(1)).toBe(CHART.top);
    expect(yOf(0.5)).toBe(CHART.top + CHART.h / 2);
  });
  it("draws each month's bar as tall as its rate, standing on the axis, side by side, and the target line at the target", () => {
    const c = chartLayout([month("2024-01", 1, 4), month("2024-02", 19, 20)], 0.9);
    expect(c.bars.map((b) => b.height)).toEqual([0.25 * CHART.h, 0.95 * CHART.h]);
    expect(c.bars.map((b) => b.y + b.height)).toEqual([yOf(0), yOf(0)]);
    expect(c.bars[1]!.x - c.bars[0]!.x).toBe(CHART.w);
    expect(c.bars.map((b) => b.kind)).toEqual(["lag", "ok"]);
    expect(c.targetY).toBe(yOf(0.9));
    expect(c.ticks.map((t) => t.v)).toEqual([0, 0.5, 1]);
    expect(c.right).toBe(CHART.left + 2 * CHART.w);
  });
  it("is green only at or above the target", () => {
    expect(chartLayout([month("2024-01", 9, 10), month("2024-02", 89, 100)], 0.9).bars.map((b) => b.kind)).toEqual(["ok", "lag"]);
  });
  it("gives a month at 0 % and a month without documents a visible mark, told apart, and counts each month's documents", () => {
    const c = chartLayout([month("2024-01", 0, 0), month("2024-02", 0, 3), month("2024-03", 1, 1)], 0.9);
    expect(c.bars.map((b) => b.kind)).toEqual(["empty", "zero", "ok"]);
    expect(c.bars.map((b) => b.height)).toEqual([MARK, MARK, CHART.h]);
    expect(c.bars.map((b) => b.y + b.height)).toEqual([yOf(0), yOf(0), yOf(0)]);
    // one document at 100 % reads as one, not as a full month
    expect(c.bars.map((b) => b.count)).toEqual([null, { numerator: 0, denominator: 3 }, { numerator: 1, denominator: 1 }]);
    expect(c.countY).toBeGreaterThan(c.labelY);
    expect(c.height).toBeGreaterThan(c.countY);
  });
});
