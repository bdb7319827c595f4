// The dashboard's reading of a period's days from the API (no browser): a named period asked by its key,
// the period before by its key, the chart's first day by the convention, and the text beside the period.
import { describe, expect, it } from "vitest";
import { boundsText, chartStart, periodQuery, previousKey } from "../../../src/pages/dashboard/bounds.js";

describe("the period's days as the server bounds them", () => {
  it("asks for a named period by its key and for any two days as they are", () => {
    expect(periodQuery({ key: "2024-Q1", from: "2024-01-01", to: "2024-03-31" })).toBe("period=2024-Q1");
    expect(periodQuery({ key: null, from: "2024-02-10", to: "2024-03-09" })).toBe("from=2024-02-10&to=2024-03-09");
  });
  it("names the period before by its key, across the year's turn", () => {
    expect(previousKey("2024")).toBe("2023");
    expect(previousKey("2024-Q1")).toBe("2023-Q4");
    expect(previousKey("2024-01")).toBe("2023-12");
    expect(previousKey(null)).toBeNull();
  });
  it("starts the chart's twelve months on the 15th under nd09, on the 1st under the calendar", () => {
    expect(chartStart("2024-12-14", "nd09")).toBe("2023-12-15");
    expect(chartStart("2024-03-14", "nd09")).toBe("2023-03-15");
    expect(chartStart("2024-12-31")).toBe("2024-01-01");
    expect(chartStart("2024-12-31", "calendar")).toBe("2024-01-01");
  });
  it("says the convention and the days, in either language", () => {
    expect(boundsText({ period: { from: "2023-12-15", to: "2024-12-14" }, periods: "nd09" }, "vi")).toBe(
      "Kỳ báo cáo theo Nghị định 09/2019/NĐ-CP (số liệu chốt ngày 14): từ 15/12/2023 đến 14/12/2024",
    );
    expect(boundsText({ period: { from: "2024-01-01", to: "2024-12-31" }, periods: "calendar" }, "en")).toBe("Calendar periods: from 2024-01-01 to 2024-12-31");
    expect(boundsText({ period: { from: "2024-01-01", to: "2024-12-31" } }, "vi")).toBe("Theo lịch dương: từ 01/01/2024 đến 31/12/2024");
  });
});
