// The per-agency table's rules without a browser: what each cell says and sorts by, which columns sort as
// numbers and largest first, and which rows the filters keep.
import { describe, expect, it } from "vitest";
import type { AgencyFigure } from "../../../src/pages/dashboard/api.js";
import { agencyCells, DESCENDING_FIRST, isBelow, keepsRow, NUMERIC_COLUMN } from "../../../src/pages/dashboard/ranking.js";
import { percent } from "../../../src/pages/shared/format.js";

const agency = (over: Partial<AgencyFigure>): AgencyFigure => ({ code: "H53.02", name: "Sở Y tế", rate: 0.5, numerator: 2, denominator: 4, gap: 2, rank: 3, sealedBySender: { bySender: 1, signedValid: 2, share: 0.5 }, ...over });
const pct = percent("vi");

describe("agency cells", () => {
  it("says rank, code, name, rate, signed of total, gap and the share sealed by itself, each with the key it sorts by", () => {
    expect(agencyCells(agency({}), pct)).toEqual([["3", "3"], ["H53.02", "H53.02"], ["Sở Y tế", "Sở Y tế"], ["50,0%", "0.5"], ["2 / 4", "4"], ["2", "2"], ["50,0% (1/2)", "0.5"]]);
  });
  it("puts an agency without a rank after every ranked one, and one without a rate or a sealed share lowest", () => {
    const cells = agencyCells(agency({ rank: null, rate: null, sealedBySender: { bySender: 0, signedValid: 0, share: null } }), pct);
    expect(cells[0]).toEqual(["–", "1000000000"]);
    expect(cells[3]).toEqual(["–", "-1"]);
    expect(cells[6]).toEqual(["–", "-1"]);
  });
  it("sorts rank, rate, volume, gap and share as numbers, code and name as text; rate and after largest first", () => {
    expect([0, 1, 2, 3, 4, 5, 6].map(NUMERIC_COLUMN)).toEqual([true, false, false, true, true, true, true]);
    expect([0, 1, 2, 3, 4, 5, 6].map(DESCENDING_FIRST)).toEqual([false, false, false, true, true, true, true]);
  });
  it("marks below the target only an agency with a rate under it (none is not below, equal is not below)", () => {
    expect(isBelow({ rate: 0.89 }, 0.9)).toBe(true);
    expect(isBelow({ rate: 0.9 }, 0.9)).toBe(false);
    expect(isBelow({ rate: null }, 0.9)).toBe(false);
  });
});

describe("filters", () => {
  const row = { text: "H53.05 Ủy ban nhân dân huyện Tân Biên", tier: "district", group: "committee", below: true };
  const all = { words: "", tier: "", group: "", belowOnly: false };
  it("keeps a row holding every word typed, in any case, Vietnamese letters folded", () => {
    expect(keepsRow(row, { ...all, words: "  ỦY BAN   tân " })).toBe(true);
    expect(keepsRow(row, { ...all, words: "h53.05" })).toBe(true);
    expect(keepsRow(row, { ...all, words: "ủy xã" })).toBe(false);
  });
  it("keeps only the tier, the group and the side of the target chosen", () => {
    expect(keepsRow(row, { ...all, tier: "commune" })).toBe(false);
    expect(keepsRow(row, { ...all, group: "department" })).toBe(false);
    expect(keepsRow({ ...row, below: false }, { ...all, belowOnly: true })).toBe(false);
    expect(keepsRow(row, { words: "tân", tier: "district", group: "committee", belowOnly: true })).toBe(true);
  });
});
