// The monthly chart's geometry (no DOM): an axis at 0, 50 and 100 %, a bar per month by its rate, green
// only at or above the target, with the month's count of documents under it; a month at 0 % still shows
// a mark on the axis and a month without documents a hollow one, so neither reads as missing. Where the
// twelve columns do not fit at full size (a phone), the months are rows with the bars lying along them, so
// every label stays at least 12 px (chartDrawing). main.ts draws it as SVG.
import type { MonthPoint } from "./api.js";

/** Each month's width, the bars' height, the room left of them for the axis labels and above them for values. */
// (wide enough for "100,0%" and "không có" written at 12 px)
export const CHART = { w: 56, h: 160, left: 40, top: 14 } as const;
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

export interface ChartLayout {
  width: number;
  height: number;
  left: number;
  right: number;
  labelY: number;
  countY: number;
  ticks: Array<{ v: number; y: number }>;
  bars: Bar[];
  targetY: number;
}

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
    return {
      month: p.month,
      x,
      y: yOf(0) - height,
      width: w - 12,
      height,
      kind,
      valueY: yOf(0) - height - 3,
      hasDocuments: has,
      labelX: x + 4,
      count: has ? { numerator: p.numerator, denominator: p.denominator } : null,
    };
  });
  return {
    width: right + 10,
    height: top + h + 44,
    left,
    right,
    labelY: top + h + 16,
    countY: top + h + 30,
    ticks: [0, 0.5, 1].map((v) => ({ v, y: yOf(v) })),
    bars,
    targetY: yOf(target),
  };
}

/** A point where a label is written (`end`: the text ends there). */
export interface At {
  x: number;
  y: number;
  end?: boolean;
}

/** What main.ts draws, in CSS pixels of the chart's own box at a scale of at least 1, whichever way it lies. */
export interface ChartDrawing {
  width: number;
  height: number;
  /** rows: one line a month, the bars lying (a phone); columns: the bars standing */
  shape: "rows" | "columns";
  grid: Array<{ v: number; x1: number; y1: number; x2: number; y2: number; label: At }>;
  target: { x1: number; y1: number; x2: number; y2: number; label: At };
  marks: Array<{ bar: Bar; value: At; month: At; count: At }>;
}

/** The size every label is written at: a chart is only drawn where this many pixels stay this many (issue 25). */
export const LABEL_PX = 12;
/** Rows: each month's line, the room left of the bars for the month, right of them for its rate and count. */
export const ROWS = { h: 26, top: 20, left: 30, text: 112 } as const;

/**
 * The chart for a box `width` pixels wide: standing bars where the columns fit at full size, else one line
 * a month with the bar lying along it (a phone), so no label is ever drawn smaller than LABEL_PX.
 */
export function chartDrawing(series: readonly MonthPoint[], target: number, width: number): ChartDrawing {
  const c = chartLayout(series, target);
  if (width >= c.width) {
    return {
      width: c.width,
      height: c.height,
      shape: "columns",
      grid: c.ticks.map((t) => ({ v: t.v, x1: c.left, x2: c.right, y1: t.y, y2: t.y, label: { x: 0, y: t.y + 4 } })),
      target: { x1: c.left, x2: c.right, y1: c.targetY, y2: c.targetY, label: { x: c.right, y: c.targetY - 4, end: true } },
      marks: c.bars.map((b) => ({ bar: b, value: { x: b.x, y: b.valueY }, month: { x: b.labelX, y: c.labelY }, count: { x: b.x, y: c.countY } })),
    };
  }
  const { h, top, left, text } = ROWS;
  const long = Math.max(40, width - left - text);
  const xOf = (r: number): number => left + r * long;
  const bottom = top + series.length * h;
  return {
    width,
    height: bottom + 20,
    shape: "rows",
    grid: [0, 0.5, 1].map((v) => ({ v, x1: xOf(v), x2: xOf(v), y1: top - 4, y2: bottom, label: { x: xOf(v) + (v === 1 ? 0 : 2), y: top - 8, end: v === 1 } })),
    target: { x1: xOf(target), x2: xOf(target), y1: top - 4, y2: bottom, label: { x: xOf(target), y: bottom + 16, end: true } },
    marks: c.bars.map((b, i) => {
      const y = top + i * h + 4;
      // as long as its rate; a month at 0 % or without documents the same small mark as standing
      const length = b.kind === "zero" || b.kind === "empty" ? MARK : (b.height / CHART.h) * long;
      const bar: Bar = { ...b, x: left, y, width: length, height: h - 10 };
      return { bar, month: { x: 0, y: y + 13 }, value: { x: left + long + 6, y: y + 13 }, count: { x: width - 2, y: y + 13, end: true } };
    }),
  };
}
