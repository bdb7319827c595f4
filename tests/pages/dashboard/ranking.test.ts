// The per-agency table's rules without a browser: what each cell says and sorts by, which columns sort as
// numbers and largest first, and which rows the filters keep.
import { describe, expect, it } from "vitest";
import type { AgencyFigure } from "../../../src/pages/dashboard/api.js";
import { agencyCells, DEFAULT_SORT, DESCENDING_FIRST, gapNote, isBelow, keepsRow, NUMERIC_COLUMN, sharedRanks } from "../../../src/pages/dashboard/ranking.js";
import { sortRows } from "../../../src/pages/shared/sort.js";
import { percent } from "../../../src/pages/shared/format.js";

const agency = (over: Partial<AgencyFigure>): AgencyFigure => ({
  code: "H53.02",
  name: "Sở Y tế",
  rate: 0.5,
  numerator: 2,
  denominator: 4,
  gap: 2,
  rank: 3,
  sealedBySender: { bySender: 1, signedValid: 2, share: 0.5 },
  ...over,
});
const pct = percent("vi");

describe("agency cells", () => {
  it("says rank, code, name, rate, signed of total, gap and the share sealed by itself, each with the key it sorts by", () => {
    expect(agencyCells(agency({}), 3, pct)).toEqual([
      ["3", "3"],
      ["H53.02", "H53.02"],
      ["Sở Y tế", "Sở Y tế"],
      ["50,0%", "0.5"],
      ["2 / 4", "4"],
      ["2", "2"],
      ["50,0% (1/2)", "0.5"],
    ]);
  });
  it("puts an agency without a rank after every ranked one, and one without a rate or a sealed share lowest", () => {
    const cells = agencyCells(agency({ rank: null, rate: null, sealedBySender: { bySender: 0, signedValid: 0, share: null } }), null, pct);
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

describe("ranks", () => {
  const g = (code: string, numerator: number, denominator: number) => ({ code, numerator, denominator });
  it("gives equal rates one rank and skips as many after them (1, 2, 2, 4)", () => {
    const r = sharedRanks([g("A", 10, 10), g("B", 9, 10), g("C", 18, 20), g("D", 1, 10)]);
    expect([...r]).toEqual([
      ["A", 1],
      ["B", 2],
      ["C", 2],
      ["D", 4],
    ]);
  });
  it("compares rates as fractions: 1/3 and 2/6 are equal, 2/3 is above 0.666…", () => {
    const r = sharedRanks([g("A", 1, 3), g("B", 2, 6), g("C", 2, 3), g("D", 666, 1000)]);
    expect([r.get("A"), r.get("B"), r.get("C"), r.get("D")]).toEqual([3, 3, 1, 2]);
  });
  it("ranks no agency without documents", () => {
    expect(sharedRanks([g("A", 0, 0), g("B", 0, 2)])).toEqual(new Map([["B", 1]]));
  });
});

describe("the opening order", () => {
  it("puts the laggards first: the largest gap at the top", () => {
    const rows = [
      { code: "A", gap: 0 },
      { code: "B", gap: 7 },
      { code: "C", gap: 12 },
      { code: "D", gap: 7 },
    ];
    expect(DEFAULT_SORT.col).toBe(5); // the gap column
    expect(NUMERIC_COLUMN(DEFAULT_SORT.col)).toBe(true);
    expect(sortRows(rows, (r) => String(r.gap), DEFAULT_SORT, true).map((r) => r.code)).toEqual(["C", "B", "D", "A"]);
  });
});

describe("gapNote", () => {
  const f = (numerator: number, denominator: number, gap: number) => ({ numerator, denominator, gap });
  it("says nothing when the agencies' gaps add up to the province's", () => {
    expect(gapNote({ gap: 3 }, [f(7, 10, 2), f(8, 10, 1)], 0.9)).toEqual({ kind: "none" });
  });
  it("counts the documents of agencies above the target that lower the province's gap but no agency's", () => {
    // needs 9 + 9 = 18, has 5 + 10: the province misses 3, the one below misses 4, the other is 1 over
    expect(gapNote({ gap: 3 }, [f(5, 10, 4), f(10, 10, 0)], 0.9)).toEqual({ kind: "add", sum: 4, province: 3, surplus: 1, rest: 0 });
  });
  it("counts the rounding of each agency's gap up to a whole document", () => {
    // 0.9 × 5 = 4.5 → 5 each, 10 for both; the province needs ceil(0.9 × 10) = 9
    expect(gapNote({ gap: 1 }, [f(4, 5, 1), f(4, 5, 1)], 0.9)).toEqual({ kind: "add", sum: 2, province: 1, surplus: 0, rest: 1 });
  });
  it("says the province has reached the target while agencies below it still miss documents", () => {
    expect(gapNote({ gap: 0 }, [f(5, 10, 4), f(100, 100, 0)], 0.9)).toEqual({ kind: "reached", sum: 4 });
  });
});
