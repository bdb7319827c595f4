// `kyso scan` on a PostgreSQL store, through the real command: the exchange's traffic (edXML messages of
// every kind and two registers, fixtures/exchange) read into the database gives the counts and the figure
// counted by hand for it (expected.json), as the embedded store does (tests/ingest/exchange-traffic.test.ts).
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AGENCIES_CSV, SAMPLE_TRUST } from "../../fixtures/sample/generate.js";
import { kysoAt } from "../helpers/clock.js";
import { ROOT } from "../helpers/paths.js";
import { hasPostgres, startCluster, type Cluster } from "../helpers/postgres.js";

const TRAFFIC = join(ROOT, "fixtures", "exchange", "traffic");
const expected = JSON.parse(readFileSync(join(TRAFFIC, "expected.json"), "utf8")) as {
  counts: Record<string, number>;
  period: { from: string; to: string };
  byCategory: Record<string, number>;
  denominator: number;
  numerator: number;
};

describe.skipIf(!hasPostgres)("kyso scan on PostgreSQL", () => {
  let cluster: Cluster;
  beforeAll(async () => void (cluster = await startCluster()), 120_000);
  afterAll(() => cluster?.stop());

  it("reads the exchange's traffic into the database with the counts and the figure counted by hand", () => {
    const at = kysoAt();
    const env = { ...at.env, KYSO_DATABASE_URL: cluster.database() };
    const data = join(mkdtempSync(join(tmpdir(), "kyso-scan-pg-")), "data");
    const kyso = (...args: string[]) => spawnSync(process.execPath, [...at.argv, ...args], { encoding: "utf8", timeout: 180_000, env });
    const registers = join(TRAFFIC, "registers");
    const scan = kyso(
      "scan",
      join(TRAFFIC, "messages"),
      ...["--register", join(registers, "so-den-H53.02.csv"), "--register-owner", "H53.02"],
      ...["--register", join(registers, "so-di-H53.03.csv"), "--register-owner", "H53.03"],
      ...["--agencies", AGENCIES_CSV, "--data", data, "--trust", SAMPLE_TRUST, "--json"],
    );
    // some messages are rejected on purpose (not XML, no header): exit 1, every other one taken
    expect(scan.status, scan.stderr).toBe(1);
    expect((JSON.parse(scan.stdout) as { counts: Record<string, number> }).counts).toEqual(expected.counts);
    const stats = kyso("stats", "--data", data, "--from", expected.period.from, "--to", expected.period.to, "--json");
    expect(stats.status, stats.stderr).toBe(0);
    const f = JSON.parse(stats.stdout) as { byCategory: Record<string, number>; denominator: number; numerator: number };
    expect([f.denominator, f.numerator, f.byCategory]).toEqual([expected.denominator, expected.numerator, expected.byCategory]);
    expect(kyso("audit", "verify", "--data", data).status).toBe(0);
  }, 240_000);
});
