// Numbers and dates as the pages write them, without a browser.
import { describe, expect, it } from "vitest";
import { oneDecimal, percent, vnDate } from "../../../src/pages/shared/format.js";
import { inLang, pageWords } from "../../../src/pages/shared/words.js";
import { CATEGORY_SHORT } from "../../../src/api/report-words.js";

describe("format", () => {
  it("writes a date as day/month/year, from a date or a timestamp (its day as written)", () => {
    expect(vnDate("2024-11-26")).toBe("26/11/2024");
    expect(vnDate("2024-03-05T23:30:00.000Z")).toBe("05/03/2024");
  });
  it("writes a rate with one decimal, a comma in Vietnamese and a point in English", () => {
    expect(percent("vi")(0.6543)).toBe("65,4%");
    expect(percent("en")(0.6543)).toBe("65.4%");
    expect(percent("vi")(1)).toBe("100,0%");
    expect(percent("vi")(0)).toBe("0,0%");
  });
  it("writes a rate that does not exist as a dash, not as 0%", () => {
    expect(percent("vi")(null)).toBe("–");
    expect(percent("en")(undefined)).toBe("–");
  });
  it("groups thousands the language's way", () => {
    expect(oneDecimal("vi")(1234.56)).toBe("1.234,6");
    expect(oneDecimal("en")(1234.56)).toBe("1,234.6");
  });
});

describe("word tables", () => {
  it("the pages take the server's own category names, in the language asked", () => {
    expect(pageWords("vi").CATEGORY["signed-valid"]).toBe(CATEGORY_SHORT["signed-valid"]!.vi);
    expect(pageWords("en").CATEGORY["signed-valid"]).toBe(CATEGORY_SHORT["signed-valid"]!.en);
    expect(Object.keys(inLang(CATEGORY_SHORT, "en"))).toEqual(Object.keys(CATEGORY_SHORT));
  });
});
