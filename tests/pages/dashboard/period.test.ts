// The dashboard's period rules without a browser: what a URL's period sets in the picker, the dates each
// choice covers and the period before it (the headline compares with it), months moved across years.
import { describe, expect, it } from "vitest";
import { addMonths, lastDay, openingYear, parseChoice, periodOf, periodParams, type Choice } from "../../../src/pages/dashboard/period.js";

const L = {
  yearL: (y: number) => `Y${y}`,
  quarterL: (y: number, q: number) => `Q${q}/${y}`,
  monthL: (y: number, m: number) => `M${m}/${y}`,
  customL: (f: string, t: string) => `${f}..${t}`,
};
const choice = (c: Partial<Choice>): Choice => ({ kind: "year", year: "", quarter: "1", month: "1", from: "", to: "", ...c });

describe("parseChoice", () => {
  it("reads a year, a quarter, a month (its leading zero dropped, as the select holds it) and two days", () => {
    expect(parseChoice("2024", null, null)).toEqual({ kind: "year", year: "2024" });
    expect(parseChoice("2024-Q4", null, null)).toEqual({ kind: "quarter", year: "2024", quarter: "4" });
    expect(parseChoice("2024-03", null, null)).toEqual({ kind: "month", year: "2024", month: "3" });
    expect(parseChoice(null, "2024-02-10", "2024-03-09")).toEqual({ kind: "custom", from: "2024-02-10", to: "2024-03-09" });
  });
  it("names nothing for what is not a period (a fifth quarter, half a pair of days)", () => {
    expect(parseChoice("2024-Q5", null, null)).toBeNull();
    expect(parseChoice("24", null, null)).toBeNull();
    expect(parseChoice(null, "2024-02-10", null)).toBeNull();
  });
});

describe("periodOf", () => {
  it("a year runs 1 January to 31 December, against the year before", () => {
    expect(periodOf(choice({ year: "2024" }), L)).toEqual({
      key: "2024",
      from: "2024-01-01",
      to: "2024-12-31",
      label: "Y2024",
      prev: { from: "2023-01-01", to: "2023-12-31", label: "Y2023" },
    });
  });
  it("the first quarter is compared with the last quarter of the year before", () => {
    const p = periodOf(choice({ kind: "quarter", year: "2024", quarter: "1" }), L)!;
    expect([p.key, p.from, p.to]).toEqual(["2024-Q1", "2024-01-01", "2024-03-31"]);
    expect(p.prev).toEqual({ from: "2023-10-01", to: "2023-12-31", label: "Q4/2023" });
    expect(periodOf(choice({ kind: "quarter", year: "2024", quarter: "3" }), L)!.prev).toMatchObject({ from: "2024-04-01", to: "2024-06-30" });
  });
  it("a month ends on its own last day (29 February in a leap year) and January's month before is December", () => {
    expect(periodOf(choice({ kind: "month", year: "2024", month: "2" }), L)).toMatchObject({ key: "2024-02", from: "2024-02-01", to: "2024-02-29" });
    expect(periodOf(choice({ kind: "month", year: "2023", month: "2" }), L)!.to).toBe("2023-02-28");
    expect(periodOf(choice({ kind: "month", year: "2024", month: "1" }), L)!.prev).toEqual({ from: "2023-12-01", to: "2023-12-31", label: "M12/2023" });
  });
  it("any two days are compared with as many days just before them", () => {
    const p = periodOf(choice({ kind: "custom", from: "2024-03-01", to: "2024-03-10" }), L)!;
    expect(p.key).toBeNull();
    expect(p.prev).toEqual({ from: "2024-02-20", to: "2024-02-29", label: "2024-02-20..2024-02-29" });
  });
  it("chooses nothing without a year, or with a day missing", () => {
    expect(periodOf(choice({ year: "" }), L)).toBeNull();
    expect(periodOf(choice({ kind: "custom", from: "2024-03-01" }), L)).toBeNull();
  });
  it("keeps a named period in the URL by its key, any two days by their dates", () => {
    expect(periodParams(periodOf(choice({ kind: "quarter", year: "2024", quarter: "4" }), L)!)).toEqual([["period", "2024-Q4"]]);
    expect(periodParams(periodOf(choice({ kind: "custom", from: "2024-03-01", to: "2024-03-10" }), L)!)).toEqual([
      ["from", "2024-03-01"],
      ["to", "2024-03-10"],
    ]);
  });
});

describe("months", () => {
  it("moves across years both ways", () => {
    expect(addMonths("2024-01", -1)).toBe("2023-12");
    expect(addMonths("2024-11", -11)).toBe("2023-12");
    expect(addMonths("2024-12", 1)).toBe("2025-01");
    expect(lastDay(2100, 2)).toBe("2100-02-28");
  });
  it("opens on the latest month's year, else on this year", () => {
    expect(openingYear("2024-11", new Date(Date.UTC(2026, 5, 1)))).toBe("2024");
    expect(openingYear(null, new Date(Date.UTC(2026, 5, 1)))).toBe("2026");
  });
});
