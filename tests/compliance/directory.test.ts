// Agency codes resolved through the directory: its codes and the legacy codes it lists explicitly as
// aliases (no conversion by rule: shared EXCHANGE.md §3); a code it does not know is kept as sent.
import { describe, expect, it } from "vitest";
import { Directory, type DirectoryEntry } from "../../src/compliance/directory.js";
import { parseMetadata } from "../../src/ingest/metadata.js";

const entry = (code: string, aliases: string[] = [], more: Partial<DirectoryEntry> = {}): DirectoryEntry => ({
  code,
  name: `Agency ${code}`,
  parent: null,
  kind: "administrative",
  aliases,
  validFrom: null,
  validTo: null,
  successor: null,
  ...more,
});
const dir = new Directory([entry("H53", ["000.00.00.H53"]), entry("H53.12", ["000.00.12.H53"]), entry("H53.21.02", ["000.02.21.H53", "001.00.10.H47"])]);

describe("agency codes", () => {
  it("maps a listed legacy code to the directory's code, whatever its shape", () => {
    expect(dir.resolve("000.00.00.H53")).toBe("H53");
    expect(dir.resolve(" 000.00.12.h53 ")).toBe("H53.12");
    // a gateway's form that contradicts any reading rule, listed explicitly
    expect(dir.resolve("001.00.10.H47")).toBe("H53.21.02");
    expect(dir.resolve("H53.12")).toBe("H53.12");
  });
  it("converts nothing by rule: an unlisted legacy form is unknown", () => {
    expect(dir.resolve("000.00.13.H53")).toBeNull();
    expect(dir.resolve("000.01.21.H53")).toBeNull();
  });
  it("stores the directory form whichever form was sent, and keeps an unknown code as sent", () => {
    const m = parseMetadata({ sender: "000.00.12.H53", recipients: "000.00.00.H53, H53.21.02, 000.00.99.H53" }, dir.resolve, new Date("2024-01-01T00:00:00Z"));
    expect([m.sender, m.recipients]).toEqual(["H53.12", ["H53", "H53.21.02", "000.00.99.H53"]]);
    expect(dir.unknown(m.sender, m.recipients)).toEqual(["000.00.99.H53"]);
  });
  it("holds a document as a directory gap only when the directory cannot say whether it is in the KPI", () => {
    expect(dir.isGap("000.00.99.H53", ["H53"])).toBe(true);
    expect(dir.isGap("H53", ["X99"])).toBe(true);
    expect(dir.isGap("H53", ["H53.12", "X99"])).toBe(false);
    expect(dir.isGap("H53", [])).toBe(false);
  });
  it("counts a document for the successor of an agency in periods after it ended", () => {
    const merged = new Directory([
      entry("A", [], { validTo: "2025-07-01", successor: "C" }),
      entry("B", [], { validTo: "2025-07-01", successor: "C" }),
      entry("C", [], { validFrom: "2025-07-01", validTo: "2026-01-01", successor: "D" }),
      entry("D"),
    ]);
    expect(merged.countedFor("A", "2025-06-30")).toBe("A");
    expect(merged.countedFor("A", "2025-07-01")).toBe("C");
    expect(merged.countedFor("B", "2025-12-31")).toBe("C");
    expect(merged.countedFor("A", "2026-02-01")).toBe("D");
    expect(merged.countedFor("X", "2026-02-01")).toBe("X");
  });
  it("resolves register names, and says when a name is ambiguous", () => {
    const d = new Directory([
      entry("H53.03", [], { name: "Sở Tư pháp" }),
      entry("H49.03", [], { name: "Sở Tư pháp" }),
      entry("H53.02", [], { name: "Sở Nội vụ" }),
    ]);
    expect(d.resolveName("sở  nội vụ")).toEqual({ code: "H53.02" });
    expect(d.resolveName("Sở Tư pháp")).toEqual({ ambiguous: ["H53.03", "H49.03"] });
    expect(d.resolveName("Sở Y tế")).toBeNull();
  });
});
