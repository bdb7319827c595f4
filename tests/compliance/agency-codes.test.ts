// Agency codes in one canonical form wherever they enter (issue 28, point 5): the directory refuses codes
// outside Decision 20's alphabet naming the character, and maps look-alikes (lower case, full-width digits,
// invisible characters) to the agency they spell, never a new one; exchanges keep an unknown code in its
// canonical form; a key bound to an agency admits its legacy alias.
import { describe, expect, it } from "vitest";
import { canonicalCode, codeProblem, Directory } from "../../src/compliance/directory.js";
import { AgencyError, agencyRows } from "../../src/ingest/agencies.js";
import { parseMetadata } from "../../src/ingest/metadata.js";
import { requireSender } from "../../src/api/auth.js";

const dir = new Directory(
  agencyRows([{ code: "H53.01", name: "Văn phòng UBND tỉnh", kind: "administrative", aliases: "000.00.01.H53" }]).map((a) => ({
    ...a,
    aliases: a.aliases ?? [],
    validFrom: null,
    validTo: null,
    successor: null,
    parent: null,
  })),
);

describe("agency codes", () => {
  it("maps look-alikes to the canonical code", () => {
    for (const c of ["h53.01", "H53.０１", "H53.\u200B01", " H53.01\uFEFF", "Ｈ53.01"])
      expect([c, canonicalCode(c), dir.resolve(c)]).toEqual([c, "H53.01", "H53.01"]);
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
    const a = parseMetadata(
      { sender: "h99.07", recipients: "H99.\u200B07,H53.01", receivedAt: "2025-01-01T00:00:00Z" },
      dir.resolve,
      new Date("2025-01-02T00:00:00Z"),
    );
    expect([a.sender, a.recipients]).toEqual(["H99.07", ["H99.07", "H53.01"]]);
  });

  it("lets a key bound to H53.01 submit for its legacy alias and its look-alikes", () => {
    const key = { id: 1, role: "ingest", label: "vp", senders: ["H53.01"] } as never;
    expect(() => requireSender(key, "000.00.01.H53", dir)).not.toThrow();
    expect(() => requireSender(key, "h53.01", dir)).not.toThrow();
    expect(() => requireSender(key, "H53.02", dir)).toThrow(/FORBIDDEN|only/);
  });

  it("lets a key bound to an agency merged away submit for its successors, and only those", () => {
    // 2025: the district committee H53.20 merges into the commune H53.31, which later merges into H53.40
    const merged = new Directory(
      agencyRows([
        { code: "H53.20", name: "UBND huyện", kind: "administrative", validTo: "2025-07-01", successor: "H53.31" },
        { code: "H53.31", name: "UBND xã mới", kind: "administrative", validTo: "2026-01-01", successor: "h53.４０" },
        { code: "H53.40", name: "UBND xã sau sáp nhập", kind: "administrative" },
        { code: "H53.50", name: "UBND xã khác", kind: "administrative" },
      ]).map((a) => ({ ...a, aliases: a.aliases ?? [], validFrom: null, validTo: a.validTo ?? null, successor: a.successor ?? null, parent: null })),
    );
    const key = { id: 2, role: "ingest", label: "huyện", senders: ["H53.20"] } as never;
    for (const c of ["H53.20", "H53.31", "H53.40"]) expect(() => requireSender(key, c, merged)).not.toThrow();
    expect(() => requireSender(key, "H53.50", merged)).toThrow(/only/);
    // the successor's own key does not reach back to the agency it replaced
    expect(() => requireSender({ id: 3, role: "ingest", label: "xã", senders: ["H53.40"] } as never, "H53.20", merged)).toThrow(/only/);
  });
});
