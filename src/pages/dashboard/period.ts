// The dashboard's period (no DOM): a year, a quarter, a month or any two days, as the URL names it
// (?period=2024, 2024-Q4, 2024-11, or ?from=…&to=…), and the period of the same length just before it,
// which the headline compares with.

export type Kind = "year" | "quarter" | "month" | "custom";

/** The picker's fields, as its form holds them (strings; the month without a leading zero). */
export interface Choice {
  kind: Kind;
  year: string;
  quarter: string;
  month: string;
  from: string;
  to: string;
}

export interface Labels {
  yearL: (y: number) => string;
  quarterL: (y: number, q: number) => string;
  monthL: (y: number, m: number) => string;
  customL: (from: string, to: string) => string;
}

export interface Span {
  from: string;
  to: string;
  label: string;
}
export interface Period extends Span {
  key: string | null;
  prev: Span;
}

export const pad = (n: number): string => String(n).padStart(2, "0");

/** The last day of month m (1–12) of year y, as YYYY-MM-DD. */
export const lastDay = (y: number, m: number): string => y + "-" + pad(m) + "-" + pad(new Date(Date.UTC(y, m, 0)).getUTCDate());

/** YYYY-MM moved by n months. */
export function addMonths(ym: string, n: number): string {
  const [y = 0, m = 1] = ym.split("-").map(Number);
  const d = new Date(Date.UTC(y, m - 1 + n, 1));
  return d.getUTCFullYear() + "-" + pad(d.getUTCMonth() + 1);
}

/** The picker's fields a URL's period names (only those it sets), or null when it names none. */
export function parseChoice(key: string | null, from: string | null, to: string | null): Partial<Choice> | null {
  let m: RegExpExecArray | null;
  if (key && (m = /^(\d{4})$/.exec(key))) return { kind: "year", year: m[1]! };
  if (key && (m = /^(\d{4})-Q([1-4])$/.exec(key))) return { kind: "quarter", year: m[1]!, quarter: m[2]! };
  if (key && (m = /^(\d{4})-(\d{2})$/.exec(key))) return { kind: "month", year: m[1]!, month: String(Number(m[2])) };
  if (from && to) return { kind: "custom", from, to };
  return null;
}

/** The period the fields choose, with the one before it; null while they choose none (no year, a date missing). */
export function periodOf(c: Choice, L: Labels): Period | null {
  const y = Number(c.year);
  if (c.kind === "custom") {
    const { from, to } = c;
    if (!from || !to) return null;
    const days = Math.round((Date.parse(to) - Date.parse(from)) / 86400000) + 1;
    const pTo = new Date(Date.parse(from) - 86400000).toISOString().slice(0, 10);
    const pFrom = new Date(Date.parse(from) - days * 86400000).toISOString().slice(0, 10);
    return { key: null, from, to, label: L.customL(from, to), prev: { from: pFrom, to: pTo, label: L.customL(pFrom, pTo) } };
  }
  if (!y) return null;
  if (c.kind === "quarter") {
    const q = Number(c.quarter),
      m1 = (q - 1) * 3 + 1,
      pq = q === 1 ? 4 : q - 1,
      py = q === 1 ? y - 1 : y;
    return {
      key: y + "-Q" + q,
      from: y + "-" + pad(m1) + "-01",
      to: lastDay(y, m1 + 2),
      label: L.quarterL(y, q),
      prev: { from: py + "-" + pad((pq - 1) * 3 + 1) + "-01", to: lastDay(py, (pq - 1) * 3 + 3), label: L.quarterL(py, pq) },
    };
  }
  if (c.kind === "month") {
    const mo = Number(c.month);
    const [py = 0, pm = 1] = addMonths(y + "-" + pad(mo), -1)
      .split("-")
      .map(Number);
    return {
      key: y + "-" + pad(mo),
      from: y + "-" + pad(mo) + "-01",
      to: lastDay(y, mo),
      label: L.monthL(y, mo),
      prev: { from: py + "-" + pad(pm) + "-01", to: lastDay(py, pm), label: L.monthL(py, pm) },
    };
  }
  return {
    key: String(y),
    from: y + "-01-01",
    to: y + "-12-31",
    label: L.yearL(y),
    prev: { from: y - 1 + "-01-01", to: y - 1 + "-12-31", label: L.yearL(y - 1) },
  };
}

/** The period's key and dates as the page's URL keeps them: a named period as ?period=, any two days as ?from=&to=. */
export function periodParams(p: Period): Array<[string, string]> {
  return p.key
    ? [["period", p.key]]
    : [
        ["from", p.from],
        ["to", p.to],
      ];
}

/** The year the dashboard opens on when the URL names none: the latest month with documents', else this year. */
export const openingYear = (latest: string | null | undefined, now: Date): string => (latest ? latest.slice(0, 4) : String(now.getFullYear()));
