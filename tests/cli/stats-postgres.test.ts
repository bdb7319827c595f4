// `kyso stats` and `kyso reconcile` on a PostgreSQL store, through the real command (bin/kyso.js, built):
// the figures and the reconciliation of the documents the store holds, the same as the embedded store's
// for the same submissions.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { submitTo, updateDirectoryOn, type Submission } from "../../src/lifecycle/index.js";
import { openStore } from "../../src/store/open-store.js";
import { ROOT } from "../helpers/paths.js";
import { hasPostgres, startCluster, type Cluster } from "../helpers/postgres.js";

const BIN = join(ROOT, "bin", "kyso.js");
const stats = (url: string, data: string) =>
  spawnSync(process.execPath, [BIN, "stats", "--from", "2025-01-01", "--to", "2025-12-31", "--json", "--data", data], {
    encoding: "utf8",
    env: { ...process.env, KYSO_DATABASE_URL: url },
  });

const doc = (n: number, kind: "not-pdf" | null, recipient = "H53.02"): Submission => ({
  kind: "document",
  source: "upload",
  meta: {
    sender: "H53.01",
    recipients: [recipient],
    number: `${n}/UBND`,
    issuedDate: "2025-04-0" + n,
    classification: "none",
    receivedAt: `2025-04-0${n}T02:00:00.000Z`,
    channel: kind ? "electronic" : "paper",
  },
  file: kind ? { sha256: createHash("sha256").update(String(n)).digest("hex"), bytes: 10, kind, name: `${n}.doc` } : null,
});

describe.skipIf(!hasPostgres)("kyso stats on PostgreSQL", () => {
  let cluster: Cluster;
  beforeAll(async () => void (cluster = await startCluster()), 120_000);
  afterAll(() => cluster?.stop());

  it("gives the figures of the documents the database holds, as the embedded store does for the same", async () => {
    const url = cluster.database();
    const figures: Array<Record<string, unknown>> = [];
    for (const databaseUrl of [url, undefined]) {
      const data = mkdtempSync(join(tmpdir(), "kyso-stats-pg-"));
      const store = await openStore(data, databaseUrl);
      await updateDirectoryOn(
        store.lifecycle,
        ["H53.01", "H53.02"].map((code) => ({ code, name: code, parent: null, kind: "administrative" })),
        "test",
      );
      for (const s of [doc(1, "not-pdf"), doc(2, null), doc(3, null), doc(4, null, "X99")]) await submitTo(store.lifecycle, s, "test");
      await store.close();
      const r = databaseUrl
        ? stats(databaseUrl, data)
        : spawnSync(process.execPath, [BIN, "stats", "--from", "2025-01-01", "--to", "2025-12-31", "--json", "--data", data], {
            encoding: "utf8",
            env: { ...process.env, KYSO_DATABASE_URL: "" },
          });
      expect(r.status, r.stderr).toBe(0);
      const f = JSON.parse(r.stdout) as Record<string, unknown>;
      // two paper exchanges and the .doc; the one sent to an agency the directory lacks is held out
      expect([f.denominator, f.numerator], JSON.stringify(f.byCategory)).toEqual([3, 0]);
      const rec = spawnSync(process.execPath, [BIN, "reconcile", "--json", "--data", data], {
        encoding: "utf8",
        env: { ...process.env, KYSO_DATABASE_URL: databaseUrl ?? "" },
      });
      expect(rec.status, rec.stderr).toBe(0);
      const { gaps, held } = JSON.parse(rec.stdout) as { gaps: Array<{ code: string }>; held: Record<string, number> };
      expect([gaps.map((g) => g.code), held]).toEqual([["X99"], { "directory-gap": 1 }]);
      figures.push({ denominator: f.denominator, numerator: f.numerator, byCategory: f.byCategory, agencies: f.agencies, gaps, held });
    }
    expect(figures[0]).toEqual(figures[1]);
  });
});
