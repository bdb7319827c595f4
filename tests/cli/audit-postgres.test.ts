// `kyso audit verify` and `kyso audit head` on PostgreSQL (KYSO_DATABASE_URL), through the real command
// (bin/kyso.js, built) against a throwaway cluster: a store written through the ports is intact, its figures
// replayed and its stored files read back, said as on the embedded store with exit code 0; the check since
// a head `kyso audit head` printed reads only what came after; an edited category and a rewritten entry
// each exit 1 with the finding named. The store's other commands still say they do not run there.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { analyzeStructure } from "../../src/analyze.js";
import { DEFAULT_POLICY } from "../../src/compliance/index.js";
import { loadTrustStore } from "../../src/config.js";
import { decideAnalysis } from "../../src/lifecycle/analysis.js";
import { createLogKey, readLogKey } from "../../src/log/key.js";
import { BlobStore } from "../../src/store/blobs.js";
import { storePaths } from "../../src/store/paths.js";
import { migrate, openPool, type Pool } from "../../src/store/postgres/db.js";
import { postgresLifecycle } from "../../src/store/postgres/lifecycle-store.js";
import { postgresLog } from "../../src/store/postgres/log-port.js";
import { hasPostgres, startCluster, type Cluster } from "../helpers/postgres.js";
import { AT, FIXTURES, ROOT } from "../helpers/paths.js";

const BIN = join(ROOT, "bin", "kyso.js");
const AGENCY = "000.00.01.H01";
const TO = "000.00.02.H01";

describe.skipIf(!hasPostgres)("kyso audit verify on PostgreSQL", () => {
  let cluster: Cluster;
  let url: string;
  let pool: Pool;
  let data: string;
  const kyso = (...args: string[]) =>
    spawnSync(process.execPath, [BIN, ...args, "--data", data], { encoding: "utf8", timeout: 60_000, env: { ...process.env, KYSO_DATABASE_URL: url } });

  beforeAll(async () => {
    cluster = await startCluster();
    url = cluster.database();
    pool = openPool(url, 2);
    await migrate(pool);
    const root = mkdtempSync(join(tmpdir(), "kyso-audit-pg-"));
    data = join(root, "data");
    const blobs = new BlobStore(storePaths(data).blobs);
    const key = createLogKey(join(root, "log-key.pem"));
    // two uploads from AGENCY to TO, their PDFs in the data folder's blobs, one analysed through the life-cycle port
    const pdfs = ["signed-cades-rsa-sha256.pdf", "unsigned.pdf"].map((f) => readFileSync(join(FIXTURES, f)));
    await pool.query("INSERT INTO agencies (code, name, kind) VALUES ($1, 'Sở Nội vụ', 'administrative'), ($2, 'Sở Tài chính', 'administrative')", [
      AGENCY,
      TO,
    ]);
    for (const [i, pdf] of pdfs.entries()) {
      const sha = blobs.put(pdf);
      const at = `2026-01-0${i + 1}T08:00:00.000Z`;
      await pool.query(
        `INSERT INTO documents (id, sha256, bytes, sender, received_at, channel, status, between_admin, period_date, created_at, agency, source, file_kind)
         VALUES ($1, $2, $3, $4, $5, 'electronic', 'queued', 1, substr($5, 1, 10), $5, $4, 'upload', 'pdf')`,
        [`doc-${i + 1}`, sha, pdf.length, AGENCY, at],
      );
      await pool.query("INSERT INTO deliveries (document_id, recipient) VALUES ($1, $2)", [`doc-${i + 1}`, TO]);
    }
    const log = postgresLog(openPool(url, 2), key);
    await log.append([{ actor: "test", action: "agencies-update", subject: "directory", details: { codes: [AGENCY, TO] } }]);
    await log.close();
    const node = postgresLifecycle(openPool(url, 2), key);
    const doc = (await node.claim("a", 60_000))!;
    const trust = loadTrustStore([join(ROOT, "fixtures", "trust")], { includeDefault: false });
    const report = { ...analyzeStructure(pdfs[0]!, { now: AT, trust }), sha256: doc.sha256! };
    expect(await node.commit(decideAnalysis((await node.analysisFacts(doc.id, DEFAULT_POLICY))!, report, 12, "runner", new Date("2026-01-10T09:00:00Z")))).toBe(
      true,
    );
    await node.close();
  }, 120_000);
  afterAll(async () => {
    await pool?.end();
    cluster?.stop();
  });

  const head = async () => (await pool.query<{ seq: number; hash: string }>("SELECT seq, hash FROM audit_head")).rows[0]!;

  it("finds the store intact, its figures replayed and its files read back, said as on the embedded store", async () => {
    const h = await head();
    const r = kyso("audit", "verify");
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(
      new RegExp(
        `^the verification log: intact, ${h.seq} entries \\(${h.seq} with a signed tree head\\), head entry ${h.seq} ${h.hash}\\n` +
          "the figures: replayed from the log, they agree: 2 documents, 1 analyses, [1-9]\\d* rollup rows\\n" +
          "the stored files: all 2 stored files hash to their names\\n$",
      ),
    );
    const json = JSON.parse(kyso("audit", "verify", "--json").stdout) as { ok: boolean; head: unknown; figures: { documents: number } };
    expect(json).toMatchObject({ ok: true, head: h, figures: { documents: 2 } });
  });

  it("checks from the head kyso audit head printed only what came after it", async () => {
    const printed = kyso("audit", "head");
    expect(printed.status, printed.stderr).toBe(0);
    const signed = (JSON.parse(printed.stdout) as { signedHead: { size: number; root: string } }).signedHead;
    expect(signed.size).toBe((await head()).seq);
    const file = join(data, "..", "verified-head.jsonl");
    writeFileSync(file, printed.stdout);
    const log = postgresLog(openPool(url, 1), readLogKey(join(data, "..", "log-key.pem"))!);
    await log.append([{ actor: "test", action: "agencies-update", subject: "directory", details: { codes: [AGENCY] } }]);
    await log.close();
    const r = kyso("audit", "verify", "--since", file);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(
      new RegExp(`^the verification log since the head in ${file.replace(/[.]/g, "\\.")}: intact, 1 entries \\(1 with a signed tree head\\)`),
    );
  });

  it("exports the log from PostgreSQL as from the embedded store: a file kyso audit verify FILE checks offline", () => {
    const file = join(mkdtempSync(join(tmpdir(), "kyso-audit-pg-export-")), "log.jsonl");
    const r = kyso("audit", "export", "--out", file);
    expect(r.status, r.stderr).toBe(0);
    const lines = readFileSync(file, "utf8").trim().split("\n");
    expect(JSON.parse(lines.at(-1)!).head).toMatchObject({ complete: true, entries: lines.length - 1 });
    const offline = spawnSync(process.execPath, [BIN, "audit", "verify", file], { encoding: "utf8", env: { ...process.env, KYSO_DATABASE_URL: "" } });
    expect(offline.status, offline.stdout + offline.stderr).toBe(0);
  });

  it("exits 1 naming a category edited in the database, then an old entry rewritten", async () => {
    await pool.query("UPDATE documents SET category = 'paper' WHERE id = 'doc-1'");
    const figures = kyso("audit", "verify");
    expect(figures.status).toBe(1);
    expect(figures.stdout).toContain(
      `the figures: WRONG: the figures do not follow from the log: documents document doc-1: category is recorded as "paper", but its recorded facts give "signed-valid"\n`,
    );
    await pool.query("UPDATE audit_log SET subject = 'rewritten' WHERE seq = 2");
    const log = kyso("audit", "verify");
    expect(log.status).toBe(1);
    expect(log.stdout).toMatch(
      /^the verification log: BROKEN at entry 2: entry 2: its content does not match its hash \(the entry was edited\) \(1 entries verified before it\)\n/,
    );
  });
});
