// The compliance rules of DESIGN.md §4.3 on hand-built records: category order, what counts under each
// policy, rate and gap, monthly series, trend and projection, per-agency ranking.
import { describe, expect, it } from "vitest";
import {
  categorize,
  underPolicy,
  type ExchangeFacts,
  figure,
  gapOf,
  linearTrend,
  monthly,
  parsePolicy,
  perAgency,
  DEFAULT_POLICY,
  type Counted,
} from "../../src/compliance/index.js";

const signed = (
  over: Partial<{
    verdict: "signed-valid" | "signed-invalid" | "signed-indeterminate" | "unsigned" | "unreadable";
    content: "born-digital" | "scanned";
    nd30Complete: boolean;
  }> = {},
): ExchangeFacts => ({
  classification: "none",
  betweenAdministrativeAgencies: true,
  channel: "electronic",
  analysis: { verdict: over.verdict ?? "signed-valid", content: over.content ?? "born-digital", nd30Complete: over.nd30Complete ?? false },
});

describe("categorize", () => {
  it("decides in the table's order", () => {
    expect(categorize({ ...signed(), classification: "mat" })).toBe("excluded");
    expect(categorize({ ...signed(), betweenAdministrativeAgencies: false })).toBe("excluded");
    expect(categorize({ ...signed(), channel: "paper" })).toBe("paper");
    expect(categorize({ ...signed(), analysis: "failed" })).toBe("unreadable");
    expect(categorize(signed({ verdict: "unreadable" }))).toBe("unreadable");
    expect(categorize(signed())).toBe("signed-valid");
    expect(categorize(signed({ verdict: "signed-invalid" }))).toBe("signed-invalid");
    expect(categorize(signed({ verdict: "unsigned" }))).toBe("unsigned");
  });
  it("leaves a document waiting for analysis out of every figure", () => expect(categorize({ ...signed(), analysis: null })).toBeNull());
  it("excludes classified paper too (classification comes first)", () =>
    expect(categorize({ ...signed(), classification: "tuyet-mat", channel: "paper" })).toBe("excluded"));
});

// whether a document of this category with these analysis facts counts (sealed by its sender)
const counts = (category: Parameters<typeof underPolicy>[0], f: ExchangeFacts, policy: Parameters<typeof underPolicy>[2]): boolean => {
  const a = f.analysis !== null && f.analysis !== "failed" ? f.analysis : null;
  return underPolicy(category, { sealedBySender: true, content: a?.content ?? null, nd30Complete: a?.nd30Complete ?? false }, policy).counts;
};

describe("counts", () => {
  it("counts signed scans by default, not when the policy says so", () => {
    const scan = signed({ content: "scanned" });
    expect(counts("signed-valid", scan, DEFAULT_POLICY)).toBe(true);
    expect(counts("signed-valid", scan, { ...DEFAULT_POLICY, signedScansCount: false })).toBe(false);
  });
  it("requires the Nghị định 30 form only when the policy does", () => {
    expect(counts("signed-valid", signed(), { ...DEFAULT_POLICY, requireNd30: true })).toBe(false);
    expect(counts("signed-valid", signed({ nd30Complete: true }), { ...DEFAULT_POLICY, requireNd30: true })).toBe(true);
  });
  it("never counts what is not signed-valid", () =>
    expect(counts("signed-indeterminate", signed({ verdict: "signed-indeterminate" }), DEFAULT_POLICY)).toBe(false));
  it("moves a valid document its sender did not seal out of the numerator only under the sender-seal policy", () => {
    const j = { sealedBySender: false, content: "born-digital", nd30Complete: false };
    expect(underPolicy("signed-valid", j, DEFAULT_POLICY)).toEqual({ category: "signed-valid", counts: true });
    expect(underPolicy("signed-valid", j, { ...DEFAULT_POLICY, requireSenderSeal: true })).toEqual({ category: "signed-valid-not-sender", counts: false });
    expect(underPolicy("signed-valid", { ...j, sealedBySender: true }, { ...DEFAULT_POLICY, requireSenderSeal: true }).counts).toBe(true);
  });
});

const item = (category: Counted["category"], date: string, sender = "H53", c = category === "signed-valid"): Counted => ({
  category,
  counts: c,
  nd30Complete: false,
  date,
  sender,
});

describe("figure", () => {
  it("computes rate over everything but excluded, and the gap to the target", () => {
    const items = [...Array(7)]
      .map(() => item("signed-valid", "2024-01-10"))
      .concat([item("unsigned", "2024-01-11"), item("paper", "2024-01-12"), item("signed-invalid", "2024-01-13"), item("excluded", "2024-01-14")]);
    const f = figure(items, DEFAULT_POLICY);
    expect(f.denominator).toBe(10);
    expect(f.numerator).toBe(7);
    expect(f.rate).toBeCloseTo(0.7);
    expect(f.gap).toBe(2); // ceil(0.9 × 10) − 7
    expect(f.byCategory).toMatchObject({ excluded: 1, paper: 1, "signed-valid": 7, unsigned: 1, "signed-invalid": 1 });
  });
  it("has a null rate for an empty period", () => expect(figure([], DEFAULT_POLICY).rate).toBeNull());
  it("rounds the target share exactly and never goes below zero", () => {
    expect(gapOf(0.9, 10, 9)).toBe(0);
    expect(gapOf(0.9, 11, 9)).toBe(1); // ceil(9.9) − 9
    expect(gapOf(0.9, 10, 10)).toBe(0);
  });
});

describe("monthly series and trend", () => {
  const items = [
    ...[...Array(5)].map(() => item("signed-valid", "2024-01-05")),
    ...[...Array(5)].map(() => item("unsigned", "2024-01-06")),
    ...[...Array(6)].map(() => item("signed-valid", "2024-02-05")),
    ...[...Array(4)].map(() => item("unsigned", "2024-02-06")),
    ...[...Array(7)].map(() => item("signed-valid", "2024-04-05")),
    ...[...Array(3)].map(() => item("unsigned", "2024-04-06")),
  ];
  it("lists every month, empty ones with a null rate", () => {
    const s = monthly(items, "2024-01-01", "2024-04-30");
    expect(s.map((p) => [p.month, p.rate])).toEqual([
      ["2024-01", 0.5],
      ["2024-02", 0.6],
      ["2024-03", null],
      ["2024-04", 0.7],
    ]);
  });
  it("fits the slope over the months with data and projects the month of reaching the target", () => {
    const t = linearTrend(monthly(items, "2024-01-01", "2024-04-30"), 0.9);
    // points (0, 0.5), (1, 0.6), (3, 0.7): slope 0.3 / (42/9)
    expect(t.slopePerMonth).toBeCloseTo(0.064286, 5);
    const s = linearTrend(
      [
        { month: "2024-01", rate: 0.5 },
        { month: "2024-02", rate: 0.6 },
        { month: "2024-03", rate: 0.7 },
      ],
      0.9,
    );
    // 0.5 + 0.1 x ≥ 0.9 → x = 4 months after January 2024
    expect(s.projectedMonth).toBe("2024-05");
  });
  it("projects nothing on a falling trend, and the last month when already above", () => {
    expect(
      linearTrend(
        [
          { month: "2024-01", rate: 0.8 },
          { month: "2024-02", rate: 0.7 },
        ],
        0.9,
      ).projectedMonth,
    ).toBeNull();
    expect(
      linearTrend(
        [
          { month: "2024-01", rate: 0.92 },
          { month: "2024-02", rate: 0.95 },
        ],
        0.9,
      ).projectedMonth,
    ).toBe("2024-02");
    expect(linearTrend([{ month: "2024-01", rate: 0.5 }], 0.9).slopePerMonth).toBeNull();
  });
});

describe("perAgency", () => {
  it("ranks by rate, equal rates sharing a rank (listed by volume), and leaves agencies with nothing unranked", () => {
    const items = [
      item("signed-valid", "2024-01-01", "H53.01"),
      item("unsigned", "2024-01-01", "H53.01"),
      item("signed-valid", "2024-01-01", "H53.02"),
      item("signed-valid", "2024-01-01", "H53.03"),
      item("signed-valid", "2024-01-01", "H53.03"),
    ];
    const r = perAgency(items, ["H53.01", "H53.02", "H53.03", "H53.04"], DEFAULT_POLICY);
    // H53.03 and H53.02 are both at 100%: one rank, the larger first; the next rank skips to 3
    expect(r.map((a) => [a.code, a.rank])).toEqual([
      ["H53.03", 1],
      ["H53.02", 1],
      ["H53.01", 3],
      ["H53.04", null],
    ]);
    // 1/3 and 2/6 are the same rate
    const thirds = [
      item("signed-valid", "2024-01-01", "A"),
      item("unsigned", "2024-01-01", "A"),
      item("unsigned", "2024-01-01", "A"),
      ...[1, 2].map(() => item("signed-valid", "2024-01-01", "B")),
      ...[1, 2, 3, 4].map(() => item("unsigned", "2024-01-01", "B")),
    ];
    expect(perAgency(thirds, ["A", "B"], DEFAULT_POLICY).map((a) => [a.code, a.rank])).toEqual([
      ["B", 1],
      ["A", 1],
    ]);
  });
});

describe("parsePolicy", () => {
  it("reads the environment and rejects a target that is not a fraction", () => {
    expect(parsePolicy({ KYSO_TARGET: "0.95", KYSO_SIGNED_SCANS_COUNT: "false" })).toEqual({
      target: 0.95,
      signedScansCount: false,
      requireNd30: false,
      requireSenderSeal: false,
    });
    expect(parsePolicy({ KYSO_REQUIRE_SENDER_SEAL: "true" }).requireSenderSeal).toBe(true);
    expect(() => parsePolicy({ KYSO_TARGET: "90" })).toThrow(/fraction/);
  });
});
