// The period the auditors' page opens on, without a browser: the latest year with documents, not this
// calendar year, bounded by the server's convention.
import { describe, expect, it } from "vitest";
import { openingDays } from "../../../src/pages/auditor/opening.js";

const NOW = new Date("2026-12-07T10:00:00Z");

describe("the auditors' page's opening period", () => {
  it("opens on the year of the latest month with documents", () => {
    expect(openingDays({ periods: "calendar", latest: "2024-11" }, NOW)).toEqual({ year: "2024", from: "2024-01-01", to: "2024-12-31" });
    // a server before the setting says no convention: calendar
    expect(openingDays({ latest: "2023-02" }, NOW)).toEqual({ year: "2023", from: "2023-01-01", to: "2023-12-31" });
  });
  it("bounds the year as the server's reporting periods do", () => {
    expect(openingDays({ periods: "nd09", latest: "2024-12" }, NOW)).toEqual({ year: "2024", from: "2023-12-15", to: "2024-12-14" });
  });
  it("opens on this year when the store holds no documents or the answer is missing", () => {
    expect(openingDays({ periods: "calendar", latest: null }, NOW)).toEqual({ year: "2026", from: "2026-01-01", to: "2026-12-31" });
    expect(openingDays(null, NOW).year).toBe("2026");
  });
});
