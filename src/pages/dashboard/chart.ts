// The monthly chart's geometry (no DOM): an axis at 0, 50 and 100 %, a bar per month by its rate, green
// only at or above the target, with the month's count of documents under it; a month at 0 % still shows
// a mark on the axis and a month without documents a hollow one, so neither reads as missing. main.ts
// draws it as SVG.
import type { MonthPoint } from "./api.js";

/** Each month's width, the bars' height, the room left of them for the axis labels and above them for values. */
export const CHART = { w: 40, h: 160, left: 34, top: 14 } as const;
/** The height of the mark a month at 0 % or without documents gets on the axis. */
export const MARK = 3;

/** A rate's height on the chart (0 at the axis, 1 at the top). */
export const yOf = (r: number): number => CHART.top + CHART.h - r * CHART.h;

export type BarKind = "ok" | "lag" | "zero" | "empty";

export interface Bar {
  month: string;
  x: number;
  y: number;
  width: number;
  height: number;
  /** ok: at or above the target; lag: below; zero: documents, none counted; empty: no documents */
  kind: BarKind;
  valueY: number;
  hasDocuments: boolean;
  labelX: number;
  /** the counted documents and all of the month's, as "k/n"; null without documents */
  count: { numerator: number; denominator: number } | null;
}

export interface ChartLayout { width: number; height: number; left: number; right: number; labelY: number; countY: number; ticks: Array<{ v: number; y: number }>; bars: Bar[]; targetY: number }

export function chartLayout(series: readonly MonthPoint[], target: number): ChartLayout {
  const { w, h, left, top } = CHART;
  const right = left + series.length * w;
  const bars = series.map((p, i): Bar => {
    const x = left + i * w + 6;
    const has = p.denominator > 0;
    const r = has ? (p.rate ?? 0) : 0;
    const kind: BarKind = !has ? "empty" : p.numerator === 0 ? "zero" : r >= target ? "ok" : "lag";
    // a bar as tall as its rate; one too low to see (0 %, or no documents) a mark standing on the axis
    const height = Math.max(r * h, kind === "zero" || kind === "empty" ? MARK : 0);
    return { month: p.month, x, y: yOf(0) - height, width: w - 12, height, kind, valueY: yOf(0) - height - 3, hasDocuments: has, labelX: x + 4, count: has ? { numerator: p.numerator, denominator: p.denominator } : null };
  });
  return { width: right + 10, height: top + h + 44, left, right, labelY: top + h + 16, countY: top + h + 30, ticks: [0, 0.5, 1].map((v) => ({ v, y: yOf(v) })), bars, targetY: yOf(target) };
}
