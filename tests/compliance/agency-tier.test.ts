// Tiers and kinds of body from the directory, not the code: a committee's name says its tier, others take
// the tier of the committee above them, so communes moved under the province in 2025 stay communes.
import { describe, expect, it } from "vitest";
import { agencyGroup, agencyTier } from "../../src/compliance/agency-tier.js";
import { Directory, type DirectoryEntry } from "../../src/compliance/directory.js";

const e = (code: string, name: string, parent: string | null): DirectoryEntry => ({
  code,
  name,
  parent,
  kind: "administrative",
  aliases: [],
  validFrom: null,
  validTo: null,
  successor: null,
});
const dir = new Directory([
  e("H53", "Ủy ban nhân dân tỉnh Tây Ninh", null),
  e("H53.01", "Văn phòng Ủy ban nhân dân tỉnh Tây Ninh", "H53"),
  e("H53.02", "Sở Nội vụ", "H53"),
  e("H53.21", "Ủy ban nhân dân thành phố Tây Ninh", "H53"),
  e("H53.22", "UBND thị xã Hòa Thành", "H53"),
  e("H53.21.01", "Ủy ban nhân dân Phường 1", "H53.21"),
  e("H53.21.50", "Phòng Tài chính - Kế hoạch", "H53.21"),
  // after 2025-07-01: communes directly under the province, the code two groups deep
  e("H53.40", "Uỷ ban nhân dân xã Tân Biên", "H53"),
  e("H53.41", "ỦY BAN NHÂN DÂN PHƯỜNG  Long Hoa", "H53"),
  e("H53.40.01", "Văn phòng HĐND và UBND xã", "H53.40"),
  e("A01", "Ủy ban nhân dân thành phố Hà Nội", null),
  e("Z01.02.03", "Hội Chữ thập đỏ", null),
]);

describe("agency tiers from the directory", () => {
  it("reads a committee's tier from its name, and gives others the tier of the committee above", () => {
    const tiers = Object.fromEntries(
      ["H53", "H53.01", "H53.02", "H53.21", "H53.22", "H53.21.01", "H53.21.50", "H53.40", "H53.41", "H53.40.01", "A01"].map((c) => [c, agencyTier(dir, c)]),
    );
    expect(tiers).toEqual({
      H53: "province",
      "H53.01": "province",
      "H53.02": "province",
      "H53.21": "district",
      "H53.22": "district",
      "H53.21.01": "commune",
      "H53.21.50": "district",
      "H53.40": "commune",
      "H53.41": "commune",
      "H53.40.01": "commune",
      A01: "province",
    });
  });
  it("falls back on the code's depth only where no committee is in the chain", () => {
    expect(agencyTier(dir, "Z01.02.03")).toBe("commune");
    expect(agencyTier(dir, "H99")).toBe("province");
  });
  it("says the kind of body", () => {
    expect(
      ["Ủy ban nhân dân xã Tân Lập", "UBND huyện Gò Dầu", "Sở Y tế", "Phòng Nội vụ", "Thanh tra tỉnh", "Văn phòng Ủy ban nhân dân tỉnh"].map(agencyGroup),
    ).toEqual(["committee", "committee", "department", "department", "other", "other"]);
  });
});
