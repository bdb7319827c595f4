// The statistics as CSV (kyso stats --csv, ?format=csv): the same figures as the JSON, read back by an
// RFC 4180 parser; a byte-order mark for Excel; agency names that look like formulas kept as text.
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseCsv } from "../../src/ingest/csv.js";
import { agenciesCsv } from "../../src/api/exports/stats-csv.js";
import { ROOT } from "../helpers/paths.js";
import { startSampleServer, type SampleServer } from "../helpers/sample-server.js";

let s: SampleServer;
beforeAll(async () => {
  s = await startSampleServer(30, 37);
}, 120_000);
afterAll(async () => s?.server.close());

const Q = "from=2024-01-01&to=2024-12-31";

describe("statistics as CSV", () => {
  it("GET /api/v1/stats/agencies?format=csv holds the ranking the JSON gives", async () => {
    const res = await s.as("viewer", `/api/v1/stats/agencies?${Q}&format=csv`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("content-disposition")).toBe('attachment; filename="kyso-agencies-2024-01-01-2024-12-31.csv"');
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes);
    expect(text).toContain("\r\n");
    const { header, rows } = parseCsv(text);
    expect(header).toEqual([
      "rank",
      "code",
      "agency",
      "signed_electronic",
      "documents",
      "rate",
      "target",
      "gap",
      "below_target",
      "valid_signed",
      "sealed_by_sender",
      "sealed_by_sender_share",
    ]);
    const json = (await (await s.as("viewer", `/api/v1/stats/agencies?${Q}`)).json()) as {
      target: number;
      agencies: Array<{
        rank: number | null;
        code: string;
        name: string;
        numerator: number;
        denominator: number;
        rate: number | null;
        gap: number;
        sealedBySender: { signedValid: number; bySender: number };
      }>;
    };
    const want = json.agencies.filter((g) => g.denominator > 0);
    // who sealed them: the agency's validly signed documents and how many it sealed itself
    expect(rows.map((r) => [Number(r[9]), Number(r[10])])).toEqual(want.map((g) => [g.sealedBySender.signedValid, g.sealedBySender.bySender]));
    expect(rows.map((r) => [r[0], r[1], r[2], Number(r[3]), Number(r[4]), Number(r[5]), Number(r[7]), r[8]])).toEqual(
      want.map((g) => [String(g.rank ?? ""), g.code, g.name, g.numerator, g.denominator, Number(g.rate!.toFixed(6)), g.gap, String(g.rate! < json.target)]),
    );
    expect(rows.some((r) => /[ạảãàáâậầấẩẫăắằặẳẵđêếềệểễôốồổỗộơớờởỡợưứừửữự]/i.test(r[2]!))).toBe(true);
  });

  it("GET /api/v1/stats/timeseries?format=csv has one row per month", async () => {
    const text = await (await s.as("viewer", `/api/v1/stats/timeseries?${Q}&format=csv`)).text();
    const json = (await (await s.as("viewer", `/api/v1/stats/timeseries?${Q}`)).json()) as {
      series: Array<{ month: string; numerator: number; denominator: number }>;
    };
    const { header, rows } = parseCsv(text);
    expect(header).toEqual(["month", "signed_electronic", "documents", "rate", "target"]);
    expect(rows.map((r) => [r[0], Number(r[1]), Number(r[2])])).toEqual(json.series.map((m) => [m.month, m.numerator, m.denominator]));
    expect(rows).toHaveLength(12);
    expect((await s.as("viewer", `/api/v1/stats/timeseries?${Q}&format=xlsx`)).status).toBe(400);
  });

  it("kyso stats --csv writes the same table", () => {
    const dataDir = dirname(s.server.db.name); // the store the server writes
    const r = spawnSync(process.execPath, [join(ROOT, "bin", "kyso.js"), "stats", "--from", "2024-01-01", "--to", "2024-12-31", "--csv", "--data", dataDir], {
      encoding: "utf8",
    });
    expect(r.status, r.stderr).toBe(0);
    expect(parseCsv(r.stdout).header[0]).toBe("rank");
    const months = spawnSync(
      process.execPath,
      [join(ROOT, "bin", "kyso.js"), "stats", "--from", "2024-01-01", "--to", "2024-12-31", "--csv", "--by", "month", "--data", dataDir],
      { encoding: "utf8" },
    );
    expect(parseCsv(months.stdout).rows).toHaveLength(12);
    expect(spawnSync(process.execPath, [join(ROOT, "bin", "kyso.js"), "stats", "--csv", "--json", "--data", dataDir], { encoding: "utf8" }).status).toBe(2);
  });

  it("keeps text a spreadsheet would run as a formula as text, and quotes what must be quoted", () => {
    const csv = agenciesCsv({
      period: { from: "2024-01-01", to: "2024-12-31" },
      target: 0.9,
      policy: {} as never,
      agencies: [
        {
          code: "H53.01",
          name: '=HYPERLINK("http://x","y")',
          tier: "province",
          group: "department",
          denominator: 4,
          numerator: 1,
          rate: 0.25,
          gap: 3,
          rank: 2,
          byCategory: {} as never,
          sealedBySender: { signedValid: 1, bySender: 1, share: 1 },
          held: {},
        },
        {
          code: "H53.02",
          name: "Sở A, B",
          tier: "province",
          group: "department",
          denominator: 2,
          numerator: 2,
          rate: 1,
          gap: 0,
          rank: 1,
          byCategory: {} as never,
          sealedBySender: { signedValid: 1, bySender: 1, share: 1 },
          held: {},
        },
        {
          code: "H53.03",
          name: "Sở trống",
          tier: "province",
          group: "department",
          denominator: 0,
          numerator: 0,
          rate: null,
          gap: 0,
          rank: null,
          byCategory: {} as never,
          sealedBySender: { signedValid: 1, bySender: 1, share: 1 },
          held: {},
        },
      ],
    });
    const { rows } = parseCsv(csv);
    expect(rows.map((r) => r[2])).toEqual(['\'=HYPERLINK("http://x","y")', "Sở A, B"]);
    expect(rows.map((r) => r[8])).toEqual(["true", "false"]);
  });
});
