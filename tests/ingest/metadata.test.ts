// Agency codes in either form of VIETNAM.md: the Decision 20/2020 form as in the directory, and the legacy
// edXML form read right to left (000.00.12.H53 → H53.12), accepted only when it names a known agency.
import { describe, expect, it } from "vitest";
import { directoryCode, MetadataError, parseMetadata } from "../../src/ingest/metadata.js";

const known = new Set(["H53", "H53.12", "H53.21.02"]);

describe("agency codes", () => {
  it("maps the legacy form to a known directory code", () => {
    expect(directoryCode("000.00.00.H53", known)).toBe("H53");
    expect(directoryCode("000.00.12.H53", known)).toBe("H53.12");
    expect(directoryCode("000.02.21.H53", known)).toBe("H53.21.02");
    expect(directoryCode("H53.12", known)).toBe("H53.12");
  });
  it("refuses what names no known agency, in either form", () => {
    expect(directoryCode("000.00.13.H53", known)).toBeNull();
    expect(directoryCode("H53.13", known)).toBeNull();
    expect(directoryCode("000.00.12.G22", known)).toBeNull();
    expect(() => parseMetadata({ sender: "000.00.13.H53" }, known, new Date())).toThrow(MetadataError);
  });
  it("stores the directory form whichever form was sent", () => {
    const m = parseMetadata({ sender: "000.00.12.H53", recipients: "000.00.00.H53, H53.21.02" }, known, new Date("2024-01-01T00:00:00Z"));
    expect([m.sender, m.recipients]).toEqual(["H53.12", ["H53", "H53.21.02"]]);
  });
});
