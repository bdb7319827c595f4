// Reporting periods under both conventions, at their edges: the 14th against the 15th, the year's turn,
// 15 December belonging to the next year under Nghị định 09/2019/NĐ-CP; and the setting that chooses one.
import { describe, expect, it } from "vitest";
import { monthBounds, monthOf, monthsIn, namedPeriod, parseConvention, parsePolicy, periodOf, previousOf } from "../../src/compliance/index.js";

describe("calendar periods", () => {
  it("bound months, quarters and years by the calendar, leap February included", () => {
    expect(namedPeriod("2024-02", "calendar")).toMatchObject({ kind: "month", from: "2024-02-01", to: "2024-02-29" });
    expect(namedPeriod("2024-Q1", "calendar")).toMatchObject({ kind: "quarter", from: "2024-01-01", to: "2024-03-31" });
    expect(namedPeriod("2024", "calendar")).toMatchObject({ kind: "year", from: "2024-01-01", to: "2024-12-31" });
  });
  it("put the 14th and the 15th in one month, and 15 December in its own year", () => {
    expect(monthOf("2024-03-14", "calendar")).toBe("2024-03");
    expect(monthOf("2024-03-15", "calendar")).toBe("2024-03");
    expect(periodOf("2023-12-15", "year", "calendar").key).toBe("2023");
    expect(periodOf("2023-12-31", "quarter", "calendar").key).toBe("2023-Q4");
  });
});

describe("Nghị định 09 periods", () => {
  it("close a month on the 14th: from the 15th of the month before", () => {
    expect(monthBounds("2024-03", "nd09")).toEqual({ from: "2024-02-15", to: "2024-03-14" });
    expect(monthBounds("2024-01", "nd09")).toEqual({ from: "2023-12-15", to: "2024-01-14" });
    expect(monthOf("2024-03-14", "nd09")).toBe("2024-03");
    expect(monthOf("2024-03-15", "nd09")).toBe("2024-04");
    expect(monthOf("2024-02-29", "nd09")).toBe("2024-03");
  });
  it("bound Q1 of 2024 from 15/12/2023 to 14/03/2024 and the year 2024 from 15/12/2023 to 14/12/2024", () => {
    expect(namedPeriod("2024-Q1", "nd09")).toMatchObject({ from: "2023-12-15", to: "2024-03-14", convention: "nd09" });
    expect(namedPeriod("2024-Q4", "nd09")).toMatchObject({ from: "2024-09-15", to: "2024-12-14" });
    expect(namedPeriod("2024", "nd09")).toMatchObject({ kind: "year", from: "2023-12-15", to: "2024-12-14" });
  });
  it("count 15 December in the next year and quarter, 14 December in its own", () => {
    expect(periodOf("2023-12-15", "year", "nd09").key).toBe("2024");
    expect(periodOf("2023-12-15", "quarter", "nd09").key).toBe("2024-Q1");
    expect(periodOf("2023-12-15", "month", "nd09").key).toBe("2024-01");
    expect(periodOf("2024-12-14", "year", "nd09").key).toBe("2024");
    expect(periodOf("2024-12-14", "quarter", "nd09").key).toBe("2024-Q4");
    expect(periodOf("2024-03-15", "quarter", "nd09").key).toBe("2024-Q2");
  });
  it("step back to the period before across the year's turn", () => {
    expect(previousOf(namedPeriod("2024-01", "nd09")!)).toMatchObject({ key: "2023-12", from: "2023-11-15", to: "2023-12-14" });
    expect(previousOf(namedPeriod("2024-Q1", "nd09")!)).toMatchObject({ key: "2023-Q4", from: "2023-09-15", to: "2023-12-14" });
    expect(previousOf(namedPeriod("2024", "nd09")!)).toMatchObject({ key: "2023", from: "2022-12-15", to: "2023-12-14" });
    expect(previousOf(namedPeriod("2024-Q1", "calendar")!)).toMatchObject({ key: "2023-Q4", from: "2023-10-01", to: "2023-12-31" });
  });
  it("list the reporting months a span of days touches", () => {
    expect(monthsIn({ from: "2023-12-15", to: "2024-12-14" }, "nd09")).toHaveLength(12);
    expect(monthsIn({ from: "2023-12-15", to: "2024-12-14" }, "nd09")[0]).toBe("2024-01");
    expect(monthsIn({ from: "2024-01-01", to: "2024-12-31" }, "nd09")).toEqual([
      "2024-01",
      "2024-02",
      "2024-03",
      "2024-04",
      "2024-05",
      "2024-06",
      "2024-07",
      "2024-08",
      "2024-09",
      "2024-10",
      "2024-11",
      "2024-12",
      "2025-01",
    ]);
    expect(monthsIn({ from: "2024-01-01", to: "2024-12-31" }, "calendar")).toHaveLength(12);
  });
  it("refuse what is not a month, a quarter or a year", () => {
    for (const bad of ["2024-13", "2024-Q5", "24", "2024-1", "1900", "x"]) expect(namedPeriod(bad, "nd09")).toBeNull();
  });
});

describe("KYSO_REPORTING_PERIODS", () => {
  it("is calendar by default, left out of the policy so recorded policies read unchanged", () => {
    expect(parseConvention(undefined)).toBe("calendar");
    expect(parsePolicy({}).periods).toBeUndefined();
    expect(parsePolicy({ KYSO_REPORTING_PERIODS: "calendar" }).periods).toBeUndefined();
  });
  it("takes nd09 into the policy, and refuses any other word", () => {
    expect(parsePolicy({ KYSO_REPORTING_PERIODS: "nd09" }).periods).toBe("nd09");
    expect(() => parsePolicy({ KYSO_REPORTING_PERIODS: "fiscal" })).toThrow(/calendar or nd09/);
  });
});
