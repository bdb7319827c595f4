// The monthly chart's geometry without a browser: the scale (0 at the axis, 100 % at the top), each
// month's bar by its rate, green only at or above the target, and months without documents told apart.
import { describe, expect, it } from "vitest";
import { CHART, chartLayout, yOf } from "../../../src/pages/dashboard/chart.js";

describe("chart", () => {
  it("maps 0 to the axis and 100 % to the top of the bars, linearly", () => {
    expect(yOf(0)).toBe(CHART.top + CHART.h);
    expect(yOf(1)).toBe(CHART.top);
    expect(yOf(0.5)).toBe(CHART.top + CHART.h / 2);
  });
  it("draws each month's bar as tall as its rate, side by side, and the target line at the target", () => {
    const c = chartLayout([{ month: "2024-01", rate: 0.25, numerator: 1, denominator: 4 }, { month: "2024-02", rate: 0.95, numerator: 19, denominator: 20 }], 0.9);
    expect(c.bars.map((b) => b.height)).toEqual([0.25 * CHART.h, 0.95 * CHART.h]);
    expect(c.bars.map((b) => b.y + b.height)).toEqual([yOf(0), yOf(0)]); // every bar stands on the axis
    expect(c.bars[1]!.x - c.bars[0]!.x).toBe(CHART.w);
    expect(c.bars.map((b) => b.ok)).toEqual([false, true]);
    expect(c.targetY).toBe(yOf(0.9));
    expect(c.ticks.map((t) => t.v)).toEqual([0, 0.5, 1]);
    expect(c.right).toBe(CHART.left + 2 * CHART.w);
  });
  it("tells a month without documents from a month at 0 %", () => {
    const c = chartLayout([{ month: "2024-01", rate: null, numerator: 0, denominator: 0 }, { month: "2024-02", rate: 0, numerator: 0, denominator: 3 }], 0.9);
    expect(c.bars.map((b) => b.hasDocuments)).toEqual([false, true]);
    expect(c.bars.map((b) => b.height)).toEqual([0, 0]);
  });
});
