// Two `kyso serve` nodes on one PostgreSQL database (issue 26), uploads spread over both, each node killed
// once with SIGKILL while uploads are in flight and started again: every upload a 202 acknowledged is
// there once, analysed once (one analysis entry in the log each), the log is one chain that `kyso audit
// verify` finds whole, and the province's figure on each node equals the one the sample generator's
// ground truth gives for the documents acknowledged.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, stopChild } from "../../scripts/lib/processes.js";
import { ROOT } from "../helpers/paths.js";
import { AGENCIES_CSV, generateSample, SAMPLE_TRUST, type SampleItem } from "../../fixtures/sample/generate.js";
import { DEFAULT_POLICY, figure, type Counted } from "../../src/compliance/index.js";
import { hasPostgres, startCluster, type Cluster } from "../helpers/postgres.js";

const KYSO = join(ROOT, "bin", "kyso.js");
const sha = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

describe.skipIf(!hasPostgres)("two kyso serve nodes on one PostgreSQL database, each killed once", () => {
  let cluster: Cluster;
  let url: string;
  const data = mkdtempSync(join(tmpdir(), "kyso-two-nodes-"));
  const children: ChildProcess[] = [];
  const env = () => ({ ...process.env, KYSO_DATABASE_URL: url, KYSO_CONCURRENCY: "1", KYSO_PUBLISH_INTERVAL: "1" });
  const kyso = (...args: string[]) => spawnSync(process.execPath, [KYSO, ...args, "--data", data], { encoding: "utf8", env: env(), timeout: 120_000 });

  beforeAll(async () => void (cluster = await startCluster()), 120_000);
  afterAll(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) await stopChild(c);
    cluster?.stop();
  });

  async function serve(port: number): Promise<ChildProcess> {
    const child = spawn(process.execPath, [KYSO, "serve", "--port", String(port), "--data", data, "--trust", SAMPLE_TRUST], {
      stdio: ["ignore", "ignore", "pipe"],
      env: env(),
    });
    children.push(child);
    let err = "";
    child.stderr!.on("data", (d) => (err += String(d)));
    for (let i = 0; i < 400; i++) {
      try {
        if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) return child;
      } catch {
        /* not up yet */
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`kyso serve did not start: ${err}`);
  }

  it("keeps every acknowledged upload once, analyses each once, one chain, the figure of the documents", async () => {
    url = cluster.database();
    expect(kyso("migrate").status).toBe(0);
    const made = (role: string) => {
      const r = kyso("keys", "create", "--role", role, "--label", `two nodes ${role}`);
      expect(r.status, r.stderr).toBe(0);
      return r.stdout.trim();
    };
    const ingest = made("ingest");
    const viewer = made("viewer");
    const admin = made("admin");
    const ports = [await freePort(), await freePort()];
    const nodes = [await serve(ports[0]!), await serve(ports[1]!)];
    // the directory given to one node: the other reads it from the same database
    const put = await fetch(`http://127.0.0.1:${ports[0]}/api/v1/agencies`, {
      method: "PUT",
      headers: { authorization: `Bearer ${admin}`, "content-type": "text/csv" },
      body: readFileSync(AGENCIES_CSV),
    });
    expect(put.status, await put.text()).toBe(200);
    const sampleDir = join(data, "..", `sample-${process.pid}`);
    const items = generateSample(sampleDir, { documents: 60, seed: 11 }).filter((i) => i.file);
    const N = items.length;

    const acknowledged = new Map<string, string>(); // id → sha256
    const upload = async (n: number) => {
      const item = items[n];
      if (!item) return;
      const bytes = readFileSync(join(sampleDir, item.file!));
      const form = new FormData();
      form.set("file", new Blob([new Uint8Array(bytes)], { type: "application/pdf" }), item.file!.split("/").pop());
      for (const [k, v] of Object.entries(item.meta)) form.set(k, v);
      try {
        const r = await fetch(`http://127.0.0.1:${ports[n % 2]}/api/v1/documents`, {
          method: "POST",
          body: form,
          headers: { authorization: `Bearer ${ingest}` },
        });
        const body = (await r.json()) as { id?: string };
        if (r.status === 202 && body.id) acknowledged.set(body.id, sha(bytes));
      } catch {
        /* the node was killed before it answered: not acknowledged */
      }
    };
    for (let n = 0; n < N; n += 4) {
      const batch = [n, n + 1, n + 2, n + 3].map(upload);
      // each node killed once with uploads in flight, then started again on its port
      const victim = n === 12 ? 0 : n === 32 ? 1 : -1;
      if (victim >= 0) {
        await new Promise((r) => setTimeout(r, 15));
        nodes[victim]!.kill("SIGKILL");
        await Promise.all(batch);
        nodes[victim] = await serve(ports[victim]!);
      } else await Promise.all(batch);
    }
    expect(acknowledged.size).toBeGreaterThan(N * 0.8);

    const pool = new pg.Pool({ connectionString: url, max: 1 });
    try {
      for (let i = 0; ; i++) {
        const { n } = (await pool.query<{ n: number }>("SELECT count(*)::int n FROM documents WHERE status IN ('queued', 'processing')")).rows[0]!;
        if (n === 0) break;
        if (i > 1200) throw new Error(`${n} documents still wait for analysis`);
        await new Promise((r) => setTimeout(r, 100));
      }
      const docs = (await pool.query<{ id: string; sha256: string; status: string }>("SELECT id, sha256, status FROM documents")).rows;
      for (const [id, digest] of acknowledged)
        expect(
          docs.filter((d) => d.id === id).map((d) => d.sha256),
          id,
        ).toEqual([digest]);
      expect(new Set(docs.map((d) => d.sha256)).size).toBe(docs.length);
      expect(docs.every((d) => d.status === "done")).toBe(true);
      const analyses = (
        await pool.query<{ document_id: string; n: number }>(
          "SELECT document_id, count(*)::int n FROM audit_log WHERE action IN ('analysis', 'reanalysis') GROUP BY document_id",
        )
      ).rows;
      expect(analyses.map((a) => a.n)).toEqual(docs.map(() => 1));
      expect(new Set(analyses.map((a) => a.document_id))).toEqual(new Set(docs.map((d) => d.id)));

      const verify = kyso("audit", "verify");
      expect(verify.status, verify.stdout + verify.stderr).toBe(0);

      // the ground truth of the documents acknowledged (and of any a killed node stored before it could answer)
      const stored = new Set(docs.map((d) => d.sha256));
      const truth: Counted[] = items
        .filter((i) => stored.has(sha(readFileSync(join(sampleDir, i.file!)))))
        .map((i) => ({
          category: i.expected.category as Counted["category"],
          counts: i.expected.counts,
          nd30Complete: i.expected.nd30Complete,
          date: i.meta.issuedDate,
          sender: i.meta.sender,
        }));
      expect(truth.length).toBe(docs.length);
      const want = figure(truth, DEFAULT_POLICY);
      expect(want.numerator).toBeGreaterThan(0);
      for (const port of ports) {
        const s = (await (
          await fetch(`http://127.0.0.1:${port}/api/v1/stats/summary?from=2024-01-01&to=2024-12-31`, { headers: { authorization: `Bearer ${viewer}` } })
        ).json()) as { numerator: number; denominator: number; byCategory: unknown };
        expect([s.denominator, s.numerator, s.byCategory]).toEqual([want.denominator, want.numerator, want.byCategory]);
      }

      // kyso reverify from a third process while both nodes run: every analysed PDF queued once, analysed
      // again once by whichever process claims it, the figure unchanged, the log still whole
      const pdfs = docs.length; // the sample's documents with a file are all PDFs
      const again = kyso("reverify", "--trust", SAMPLE_TRUST);
      expect(again.status, again.stderr).toBe(0);
      expect(again.stdout).toContain(`${pdfs} document(s) queued for a new analysis`);
      for (let i = 0; ; i++) {
        const { n } = (await pool.query<{ n: number }>("SELECT count(*)::int n FROM documents WHERE status IN ('queued', 'processing')")).rows[0]!;
        if (n === 0) break;
        if (i > 1200) throw new Error(`${n} documents still wait for their new analysis`);
        await new Promise((r) => setTimeout(r, 100));
      }
      const reanalysed = (
        await pool.query<{ n: number }>("SELECT count(*)::int n FROM audit_log WHERE action = 'reanalysis' GROUP BY document_id ORDER BY 1")
      ).rows.map((r) => r.n);
      expect(reanalysed).toEqual(docs.map(() => 1));
      const after = kyso("audit", "verify");
      expect(after.status, after.stdout + after.stderr).toBe(0);
      const s = (await (
        await fetch(`http://127.0.0.1:${ports[1]}/api/v1/stats/summary?from=2024-01-01&to=2024-12-31`, { headers: { authorization: `Bearer ${viewer}` } })
      ).json()) as { numerator: number; denominator: number };
      expect([s.denominator, s.numerator]).toEqual([want.denominator, want.numerator]);
    } finally {
      await pool.end();
    }
  }, 300_000);
});
