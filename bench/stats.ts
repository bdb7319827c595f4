// bench/stats: the summary and per-agency queries over 1,000,000 generated documents in the embedded store
// (the daily rollup is maintained by triggers as documents are recorded). Prints p50/p95 per query against
// a reference: the same figure computed by scanning the documents table, in the same run.
// Target (issue 5): p95 ≤ 50 ms. Run: npm run bench:stats [-- --documents N]
import { updateDirectory } from "../src/lifecycle/index.js";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEFAULT_POLICY } from "../src/compliance/index.js";
import { openDb } from "../src/store/sqlite/db.js";
import { agencies, summary } from "../src/store/read-model/figures.js";
import { sqliteReadModel } from "../src/store/sqlite/read-model.js";
import { agenciesFromCsv } from "../src/ingest/agencies.js";
import { AGENCIES_CSV } from "../fixtures/sample/generate.js";

const args = process.argv.slice(2);
const N = Number(args[args.indexOf("--documents") + 1] ?? 0) || 1_000_000;
const dir = mkdtempSync(join(tmpdir(), "kyso-stats-"));
const CATS = ["signed-valid", "signed-valid", "signed-valid", "unsigned", "paper", "signed-invalid", "signed-indeterminate", "unreadable", "excluded"];

function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
}

async function time(fn: () => unknown, runs: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    out.push(performance.now() - t0);
  }
  return out;
}

try {
  const db = openDb(dir);
  // the directory as kyso loads it: the CSV's raw cells (aliases, certificates) are not its lists
  const ag = agenciesFromCsv(readFileSync(AGENCIES_CSV, "utf8"));
  updateDirectory(db, ag, "bench");
  const senders = ag.filter((a) => a.kind === "administrative").map((a) => a.code);
  const t0 = performance.now();
  const insert = db.prepare(
    `INSERT INTO documents (id, sha256, bytes, sender, number, issued_date, classification, received_at, channel, status, between_admin, verdict, content_kind, nd30_complete, category, counts, period_date, created_at)
     VALUES (?, NULL, NULL, ?, ?, ?, 'none', ?, 'electronic', 'done', 1, NULL, 'born-digital', ?, ?, ?, ?, ?)`,
  );
  let s = 12345;
  const rand = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  const batch = db.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const day = new Date(Date.UTC(2022, 0, 1) + Math.floor(rand() * 3 * 365) * 86_400_000).toISOString().slice(0, 10);
      const cat = CATS[Math.floor(rand() * CATS.length)]!;
      const sender = senders[Math.floor(rand() * senders.length)]!;
      insert.run(`d${i}`, sender, `${i}/X`, day, `${day}T08:00:00Z`, rand() < 0.3 ? 1 : 0, cat, cat === "signed-valid" ? 1 : 0, day, day);
    }
  });
  for (let i = 0; i < N; i += 50_000) batch(i, Math.min(N, i + 50_000));
  console.log(
    `generated ${N} documents in ${((performance.now() - t0) / 1000).toFixed(1)} s (rollup rows: ${(db.prepare("SELECT count(*) n FROM rollup_daily").get() as { n: number }).n} daily, ${(db.prepare("SELECT count(*) n FROM rollup_monthly").get() as { n: number }).n} monthly)`,
  );

  const periods = [
    { from: "2024-01-01", to: "2024-12-31" },
    { from: "2022-01-01", to: "2024-12-31" },
    { from: "2023-04-01", to: "2023-06-30" },
  ];
  let k = 0;
  const next = () => periods[k++ % periods.length]!;
  const rm = sqliteReadModel(db);
  const sum = await time(() => summary(rm, next(), DEFAULT_POLICY), 60);
  const sumAgency = await time(() => summary(rm, next(), DEFAULT_POLICY, senders[k % senders.length]), 60);
  const per = await time(() => agencies(rm, next(), DEFAULT_POLICY), 60);
  const scan = await time(
    () => db.prepare("SELECT category, counts, count(*) n FROM documents WHERE period_date BETWEEN ? AND ? GROUP BY 1, 2").all("2024-01-01", "2024-12-31"),
    5,
  );
  const fmt = (xs: number[]) => `p50 ${quantile(xs, 0.5).toFixed(1)} ms  p95 ${quantile(xs, 0.95).toFixed(1)} ms`;
  console.log(`  summary (province)      ${fmt(sum)}   target p95 ≤ 50 ms`);
  console.log(`  summary (one agency)    ${fmt(sumAgency)}`);
  console.log(`  per-agency ranking      ${fmt(per)}   target p95 ≤ 50 ms`);
  console.log(`  reference: the same year by scanning documents  ${fmt(scan)}   (ratio ${(quantile(scan, 0.5) / quantile(sum, 0.5)).toFixed(0)}×)`);
  db.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
