// The chart drawn for the box it has: standing bars where the twelve columns fit at full size, else one row
// a month (a phone), never scaled down, so its 12 px labels stay 12 px on the screen; every month keeps its
// mark, its rate or "none", and its count either way.
import { describe, expect, it } from "vitest";
import { chartDrawing, chartLayout, MARK, ROWS } from "../../../src/pages/dashboard/chart.js";

const month = (m: number, numerator: number, denominator: number) => ({
  month: `2024-${String(m).padStart(2, "0")}`,
  numerator,
  denominator,
  rate: denominator ? numerator / denominator : null,
});
// an agency's year: documents in 5 of 12 months, one of them at 0 %
const YEAR = Array.from({ length: 12 }, (_, i) =>
  i === 1 ? month(2, 0, 3) : i % 3 === 0 ? month(i + 1, 9, 10) : i === 7 ? month(8, 1, 1) : month(i + 1, 0, 0),
);

describe("chartDrawing", () => {
  it("stands the bars where the columns fit (a desktop), drawn at their own size", () => {
    const full = chartLayout(YEAR, 0.9).width;
    const d = chartDrawing(YEAR, 0.9, 1120);
    expect(d.shape).toBe("columns");
    expect(d.width).toBe(full);
    expect(d.width).toBeLessThanOrEqual(1120);
  });
  it("lays one row a month in a phone's box, exactly as wide as the box: nothing scaled below its size", () => {
    const d = chartDrawing(YEAR, 0.9, 364);
    expect(d.shape).toBe("rows");
    expect(d.width).toBe(364);
    expect(d.marks).toHaveLength(12);
    // rows one under another, each label inside the box
    const ys = d.marks.map((m) => m.bar.y);
    expect(ys).toEqual([...ys].sort((a, b) => a - b));
    expect(new Set(ys).size).toBe(12);
    for (const m of d.marks) {
      expect(m.bar.x + m.bar.width).toBeLessThanOrEqual(m.value.x);
      expect(m.count.x).toBeLessThanOrEqual(d.width);
      expect(m.count.end).toBe(true);
    }
    expect(d.height).toBeGreaterThan(ys.at(-1)!);
  });
  it("keeps each month's length by its rate along the row, 0 % and no documents as marks, and the target across the rows", () => {
    const d = chartDrawing(YEAR, 0.9, 364);
    const long = 364 - ROWS.left - ROWS.text;
    expect(d.marks[0]!.bar.width).toBeCloseTo(0.9 * long);
    expect(d.marks[7]!.bar.width).toBeCloseTo(long);
    expect(d.marks.map((m) => m.bar.kind)).toEqual(["ok", "zero", "empty", "ok", "empty", "empty", "ok", "ok", "empty", "ok", "empty", "empty"]);
    expect(d.marks[1]!.bar.width).toBe(MARK);
    expect(d.marks[2]!.bar.width).toBe(MARK);
    expect(d.marks[1]!.bar.count).toEqual({ numerator: 0, denominator: 3 });
    expect(d.target.x1).toBeCloseTo(ROWS.left + 0.9 * long);
    expect(d.target.x1).toBe(d.target.x2);
    expect(d.grid.map((g) => g.v)).toEqual([0, 0.5, 1]);
  });
});
