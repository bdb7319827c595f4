// The read model's contract: the same recorded facts give the same figures on every backend (the province
// figure, the agencies' table, the series, the next steps, the periods, leadership's report, under the
// calendar and under Nghị định 09's reporting months), and those figures equal a count made here from the
// facts alone. The facts are written as rows (the rollups follow by each backend's own triggers), so a
// trigger that forgets a column, or a query that drops a partial month, shows as a difference.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_POLICY, type CompliancePolicy } from "../../../src/compliance/index.js";
import { agencies, nextStepsOf, periodsWithDocuments, summary, timeseries } from "../../../src/store/read-model/figures.js";
import { leadershipReport, reportPeriod } from "../../../src/store/read-model/leadership.js";
import type { ReadModel } from "../../../src/store/ports.js";
import { BACKENDS } from "./backends.js";

const CATS = [
  "signed-valid",
  "signed-valid",
  "signed-valid",
  "signed-valid-not-sender",
  "unsigned",
  "paper",
  "signed-invalid",
  "excluded",
  "electronic-not-pdf",
] as const;
const AGENCIES = ["000.00.01.H53", "000.00.02.H53", "000.00.03.H53", "000.00.04.H53"];

/** ~400 documents over 2024 and the start of 2025: categories, counts, seals, held ones, a directory gap. */
function facts(): Array<[string, Record<string, unknown>]> {
  const rows: Array<[string, Record<string, unknown>]> = [];
  for (const [i, code] of AGENCIES.entries())
    rows.push([
      "agencies",
      { code, name: `Sở ${["Tư pháp", "Y tế", "Xây dựng", "Giáo dục"][i]}`, parent: null, kind: i === 3 ? "public-service" : "administrative" },
    ]);
  let s = 7;
  const rand = () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32;
  for (let i = 0; i < 420; i++) {
    const day = new Date(Date.UTC(2024, 0, 1) + Math.floor(rand() * 420) * 86_400_000).toISOString().slice(0, 10);
    const gap = i % 37 === 0;
    const sender = gap ? "999.99.99.X00" : AGENCIES[Math.floor(rand() * AGENCIES.length)]!;
    const held = gap ? "directory-gap" : i % 29 === 0 ? "revoked" : i % 31 === 0 ? "superseded" : null;
    const category = held ? null : CATS[Math.floor(rand() * CATS.length)]!;
    const sealed = category === "signed-valid" && rand() < 0.7 ? 1 : 0;
    const id = `d${String(i).padStart(4, "0")}`;
    rows.push([
      "documents",
      {
        id,
        sha256: null,
        bytes: null,
        sender,
        number: `${i}/QĐ-UBND`,
        issued_date: day,
        classification: "none",
        received_at: `${day}T08:00:00.000Z`,
        channel: category === "paper" ? "paper" : "electronic",
        status: "done",
        between_admin: 1,
        content_kind: "born-digital",
        nd30_complete: rand() < 0.5 ? 1 : 0,
        category,
        counts: category === "signed-valid" ? 1 : 0,
        period_date: day,
        created_at: `${day}T08:00:00.000Z`,
        agency: sender,
        held,
        sealed,
        signer_binding:
          category === "signed-valid" && !sealed ? JSON.stringify({ status: "another-agency", agency: AGENCIES[0], name: "UBND tỉnh", rule: "name" }) : null,
      },
    ]);
    for (const to of gap ? ["888.88.88.Y00", AGENCIES[1]!] : [AGENCIES[(i + 1) % 4]!]) rows.push(["deliveries", { document_id: id, recipient: to }]);
  }
  return rows;
}

const NOW = new Date("2025-03-01T00:00:00Z");
const NDO9: CompliancePolicy = { ...DEFAULT_POLICY, periods: "nd09" };

/** Every figure the API and the exports show, for both conventions. */
async function everything(rm: ReadModel) {
  const out: Record<string, unknown> = {};
  for (const [name, policy] of [
    ["calendar", DEFAULT_POLICY],
    ["nd09", NDO9],
  ] as const) {
    const year = { from: "2024-01-01", to: "2024-12-31" };
    const odd = { from: "2024-02-10", to: "2025-01-20" }; // partial months at both ends
    out[name] = {
      summary: await summary(rm, year, policy),
      odd: await summary(rm, odd, policy),
      agency: await summary(rm, odd, policy, AGENCIES[1]),
      agencies: await agencies(rm, odd, policy),
      series: await timeseries(rm, odd, policy),
      agencySeries: await timeseries(rm, year, policy, AGENCIES[2]),
      next: await nextStepsOf(rm, year, policy),
      periods: await periodsWithDocuments(rm, policy.periods ?? "calendar"),
      leadership: await leadershipReport(rm, reportPeriod("2024-Q4", policy.periods ?? "calendar")!, policy, NOW),
    };
  }
  return out;
}

const seen = new Map<string, unknown>();

for (const backend of BACKENDS) {
  describe.skipIf(!backend.available)(`the read model on ${backend.name}`, () => {
    beforeAll(() => backend.setup(), 60_000);
    afterAll(() => backend.teardown());

    it("gives the figures a count of the facts gives, and the same figures as every other backend", async () => {
      const store = await backend.open();
      const rows = facts();
      await store.seedRows(rows);
      const rm = await store.readModel();
      const all = await everything(rm);
      // a count made here, from the facts alone: 2024's documents in the figures and those counted
      const docs = rows.filter(([t]) => t === "documents").map(([, r]) => r);
      const in2024 = docs.filter((d) => (d.period_date as string).startsWith("2024") && d.category !== null && d.category !== "excluded");
      const s = (all.calendar as { summary: { denominator: number; numerator: number; byCategory: Record<string, number> } }).summary;
      expect(s.denominator).toBe(in2024.length);
      expect(s.numerator).toBe(in2024.filter((d) => d.counts === 1).length);
      expect(s.byCategory["signed-valid-not-sender"]).toBe(in2024.filter((d) => d.category === "signed-valid-not-sender").length);
      const gaps = (all.calendar as { next: { steps: Array<{ kind: string }> } }).next.steps;
      expect(gaps.length).toBeGreaterThan(0);
      expect((all.calendar as { leadership: { notSealedBySender: unknown[] } }).leadership.notSealedBySender.length).toBeGreaterThan(0);
      for (const [other, figures] of seen) expect(all, `${backend.name} against ${other}`).toEqual(figures);
      seen.set(backend.name, all);
    });
  });
}
