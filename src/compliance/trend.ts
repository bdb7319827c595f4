// The trend of monthly rates: an ordinary least-squares line over the months that had documents, and the
// month at which that line reaches the target (null when it never will on the current slope).
export interface Trend {
  /** change of the rate per month (a fraction), null with fewer than two months of data */
  slopePerMonth: number | null;
  /** YYYY-MM when the fitted line reaches the target; the last month when it already has; null: never */
  projectedMonth: string | null;
}

export function linearTrend(series: Array<{ month: string; rate: number | null }>, target: number): Trend {
  const pts = series.map((p, i) => ({ x: i, y: p.rate })).filter((p): p is { x: number; y: number } => p.y !== null);
  if (pts.length < 2) return { slopePerMonth: null, projectedMonth: null };
  const n = pts.length;
  const mx = pts.reduce((s, p) => s + p.x, 0) / n;
  const my = pts.reduce((s, p) => s + p.y, 0) / n;
  const sxx = pts.reduce((s, p) => s + (p.x - mx) ** 2, 0);
  const sxy = pts.reduce((s, p) => s + (p.x - mx) * (p.y - my), 0);
  const slope = sxx ? sxy / sxx : 0;
  const intercept = my - slope * mx;
  const last = series.length - 1;
  const atLast = intercept + slope * last;
  let projectedMonth: string | null = null;
  if (atLast >= target) projectedMonth = series[last]!.month;
  else if (slope > 0) {
    // rounded before ceil: (0.9 − 0.5) / 0.1 is 4.000000000000001 in floating point
    const x = Math.ceil(Math.round(((target - intercept) / slope) * 1e9) / 1e9);
    projectedMonth = addMonths(series[0]!.month, x);
  }
  return { slopePerMonth: Math.round(slope * 1e6) / 1e6, projectedMonth };
}

export function addMonths(month: string, k: number): string {
  const y = Number(month.slice(0, 4));
  const m = Number(month.slice(5, 7)) - 1 + k;
  const yy = y + Math.floor(m / 12);
  const mm = ((m % 12) + 12) % 12;
  return `${yy}-${String(mm + 1).padStart(2, "0")}`;
}
