// The names the check page saves a report under: beside the PDF's own name, with no folder part or
// character a file system refuses, never an empty name.
import { describe, expect, it } from "vitest";
import { savedName } from "../../../src/pages/check/names.js";

describe("savedName", () => {
  it("puts the report beside the PDF it describes", () => {
    expect(savedName("QĐ 12-UBND.pdf", "html")).toBe("QĐ 12-UBND.kyso-report.html");
    expect(savedName("scan.PDF", "xml")).toBe("scan.kyso-report.xml");
    expect(savedName("notes.txt", "html")).toBe("notes.txt.kyso-report.html");
  });

  it("keeps no folder and no refused character, and never saves under an empty name", () => {
    expect(savedName("C:\\Users\\a\\b.pdf", "html")).toBe("b.kyso-report.html");
    expect(savedName("a:b|c?.pdf", "xml")).toBe("a_b_c_.kyso-report.xml");
    expect(savedName(".pdf", "html")).toBe("document.kyso-report.html");
    expect(savedName("", "xml")).toBe("document.kyso-report.xml");
  });
});
