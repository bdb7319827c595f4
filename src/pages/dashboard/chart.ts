// The monthly chart's geometry (no DOM): an axis at 0, 50 and 100 %, a bar per month by its rate, the
// target as a line; main.ts draws it as SVG.
import type { MonthPoint } from "./api.js";

/** Each month's width, the bars' height, the room left of them for the axis labels and above them for values. */
export const CHART = { w: 40, h: 160, left: 34, top: 14 } as const;

/** A rate's height on the chart (0 at the axis, 1 at the top). */
export const yOf = (r: number): number => CHART.top + CHART.h - r * CHART.h;

export interface Bar { month: string; x: number; y: number; width: number; height: number; ok: boolean; valueY: number; hasDocuments: boolean; labelX: number }

export interface ChartLayout { width: number; height: number; left: number; right: number; labelY: number; ticks: Array<{ v: number; y: number }>; bars: Bar[]; targetY: number }

export function chartLayout(series: readonly MonthPoint[], target: number): ChartLayout {
  const { w, h, left, top } = CHART;
  const right = left + series.length * w;
  const bars = series.map((p, i): Bar => {
    const r = p.rate ?? 0;
    const x = left + i * w + 6;
    return { month: p.month, x, y: yOf(r), width: w - 12, height: r * h, ok: p.rate !== null && p.rate >= target, valueY: p.denominator ? yOf(r) - 3 : yOf(0) - 3, hasDocuments: p.denominator > 0, labelX: x + 4 };
  });
  return { width: right + 10, height: top + h + 30, left, right, labelY: top + h + 16, ticks: [0, 0.5, 1].map((v) => ({ v, y: yOf(v) })), bars, targetY: yOf(target) };
}
