// Agency codes in one canonical form wherever they enter (issue 28, point 5): the directory refuses codes
// outside Decision 20's alphabet naming the character, and maps look-alikes (lower case, full-width digits,
// invisible characters) to the agency they spell, never a new one; exchanges keep an unknown code in its
// canonical form; a key bound to an agency admits its legacy alias.
import { describe, expect, it } from "vitest";
import { canonicalCode, codeProblem, Directory } from "../../src/compliance/directory.js";
import { AgencyError, agencyRows } from "../../src/ingest/agencies.js";
import { parseMetadata } from "../../src/ingest/metadata.js";
import { requireSender } from "../../src/api/auth.js";

const dir = new Directory(agencyRows([{ code: "H53.01", name: "Văn phòng UBND tỉnh", kind: "administrative", aliases: "000.00.01.H53" }]).map((a) => ({ ...a, aliases: a.aliases ?? [], validFrom: null, validTo: null, successor: null, parent: null })));

describe("agency codes", () => {
  it("maps look-alikes to the canonical code", () => {
    for (const c of ["h53.01", "H53.０１", "H53.\u200B01", " H53.01\uFEFF", "Ｈ53.01"]) expect([c, canonicalCode(c), dir.resolve(c)]).toEqual([c, "H53.01", "H53.01"]);
  });

  it("refuses in the directory a code outside the alphabet, naming the character", () => {
    expect(codeProblem("H53-01")).toMatch(/"-" \(U\+002D\)/);
    expect(codeProblem("H53.0\u03011")).toMatch(/U\+0301/);
    expect(() => agencyRows([{ code: "H53.01é", name: "x", kind: "administrative" }])).toThrow(AgencyError);
    expect(() => agencyRows([{ code: "H53.01", name: "x", kind: "administrative", aliases: "000/00" }])).toThrow(/aliases: '000\/00' has the character "\/"/);
    // a look-alike of a code already listed is that code, not a new agency
    expect(agencyRows([{ code: "h53.０１", name: "x", kind: "administrative" }])[0]!.code).toBe("H53.01");
  });

  it("keeps a code the directory lacks in its canonical form, so one agency is one code", () => {
    const a = parseMetadata({ sender: "h99.07", recipients: "H99.\u200B07,H53.01", receivedAt: "2025-01-01T00:00:00Z" }, dir.resolve, new Date("2025-01-02T00:00:00Z"));
    expect([a.sender, a.recipients]).toEqual(["H99.07", ["H99.07", "H53.01"]]);
  });

  it("lets a key bound to H53.01 submit for its legacy alias and its look-alikes", () => {
    const key = { id: 1, role: "ingest", label: "vp", senders: ["H53.01"] } as never;
    expect(() => requireSender(key, "000.00.01.H53", dir.resolve)).not.toThrow();
    expect(() => requireSender(key, "h53.01", dir.resolve)).not.toThrow();
    expect(() => requireSender(key, "H53.02", dir.resolve)).toThrow(/FORBIDDEN|only/);
  });
});
