// Start-up on a long verification log (issue 27: start-up to /readyz with a cold page cache ≤ 10 s for five
// years, ~10 million entries): `kyso serve` until /readyz answers, on a store whose log holds N entries
// (default 1,000,000; KYSO_BENCH_ENTRIES=N) against the same on an empty store, a new process per run, the
// database's pages dropped from the page cache before each (posix_fadvise through dd; the program's files
// stay cached; KYSO_BENCH_COLD=0 keeps them). The store is filled with kyso's own appendAudit (each entry
// hashed, chained and its tree head signed, as ingest writes them), 10,000 per transaction; the filled
// store is kept in KYSO_BENCH_STORE (default a temporary folder) for reruns, and grows when N does.
// Beside it, the start-up check alone in this process (startupCheck, warm). Measured on this 2-core
// machine, shared: the start-up check reads the newest 20,000 entries whole and checks the older ones
// through the stored tree, so start-up no longer grows with the log: at 10,000,000 entries 1.18 s
// (1.10–1.27) against 0.57 s empty, the check alone 0.44 s warm; at 1,000,000 1.4–1.5 s (another fill
// running). Before (one pass over every stored hash, ~5 µs per entry warm): 6.5–6.9 s at 1,000,000 and
// 55–79 s at 10,000,000, cold. The first start after the upgrade to schema 20 builds the log-key index
// once (8.4 s at 10,000,000).
// Run with `npm run bench:startup-log`.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { appendAudit, auditHead } from "../src/store/sqlite/audit.js";
import { startupCheck } from "../src/store/sqlite/check.js";
import { openDb } from "../src/store/sqlite/db.js";
import { storePaths } from "../src/store/paths.js";

const root = resolve(fileURLToPath(import.meta.url), "..", "..");
const bin = join(root, "bin", "kyso.js");
const N = Number(process.env.KYSO_BENCH_ENTRIES ?? 1_000_000);
const big = process.env.KYSO_BENCH_STORE ?? join(tmpdir(), `kyso-bench-log-${N}`);
const cold = process.env.KYSO_BENCH_COLD !== "0";

/** Drops the database's pages from the page cache (flushed first), as after a reboot; the program stays cached. */
function evict(data: string): void {
  for (const f of [storePaths(data).db, `${storePaths(data).db}-wal`]) {
    if (!existsSync(f)) continue;
    spawnSync("dd", [`of=${f}`, "oflag=nocache", "conv=notrunc,fdatasync", "count=0", "status=none"]);
    spawnSync("dd", [`if=${f}`, "iflag=nocache", "count=0", "status=none"]);
  }
}

const freePort = (): Promise<number> =>
  new Promise((done) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => done(port));
    });
  });

function fill(dir: string): void {
  const db = openDb(dir);
  const have = auditHead(db).seq;
  if (have >= N) {
    db.close();
    return;
  }
  const t = performance.now();
  const batch = db.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++)
      appendAudit(db, {
        actor: "bench",
        action: "agencies-update",
        subject: `change ${i}`,
        agency: `H53.${String(i % 100).padStart(2, "0")}`,
        details: { i, note: "a directory change as the API records it" },
      });
  });
  for (let i = have; i < N; i += 10_000) {
    batch(i, Math.min(N, i + 10_000));
    process.stderr.write(`\r  filling the log: ${Math.min(N, i + 10_000).toLocaleString("en")} / ${N.toLocaleString("en")}`);
  }
  process.stderr.write(`\n  filled in ${((performance.now() - t) / 1000).toFixed(0)} s\n`);
  db.close();
}

/** Milliseconds from spawning `kyso serve` on `data` to /readyz answering 200. */
async function serveReady(data: string, n: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const port = await freePort();
    if (cold) evict(data);
    const t = performance.now();
    // the background full check starts once the server listens: not part of what is measured
    const child = spawn(process.execPath, [bin, "serve", "--port", String(port), "--data", data], {
      stdio: ["ignore", "ignore", "inherit"],
      env: { ...process.env, KYSO_PUBLISH_HEADS: "off" },
    });
    try {
      for (;;) {
        const r = await fetch(`http://127.0.0.1:${port}/readyz`).then(
          (x) => x.status,
          () => 0,
        );
        if (r === 200) break;
        if (r === 503) throw new Error(`the store at ${data} is not ready: ${await (await fetch(`http://127.0.0.1:${port}/readyz`)).text()}`);
        if (performance.now() - t > 120_000) throw new Error("kyso serve did not become ready in 120 s");
        await new Promise((r) => setTimeout(r, 5));
      }
      out.push(performance.now() - t);
    } finally {
      child.kill("SIGTERM");
      await new Promise((r) => child.once("exit", r));
    }
  }
  return out.sort((a, b) => a - b);
}

const median = (xs: number[]) => xs[Math.floor(xs.length / 2)]!;

if (!existsSync(join(root, "dist", "cli", "main.js"))) throw new Error("run npm run build first (kyso serve runs from dist/)");
fill(big);
const empty = mkdtempSync(join(tmpdir(), "kyso-bench-empty-"));
try {
  const e = await serveReady(empty, 3);
  const b = await serveReady(big, 3);
  const db = openDb(big);
  const t = performance.now();
  const check = startupCheck(db);
  const inner = performance.now() - t;
  db.close();
  if (check.problem) throw new Error(`the start-up check failed on the bench store: ${check.problem}`);
  const span = (xs: number[]) => `${median(xs).toFixed(0).padStart(6)} ms  (${xs[0]!.toFixed(0)}–${xs[xs.length - 1]!.toFixed(0)})`;
  console.log(`start-up to /readyz, kyso serve, 3 runs each (median, min–max), ${cold ? "the database not cached" : "the database cached"}:`);
  console.log(`  empty store                       ${span(e)}`);
  console.log(`  ${`log of ${N.toLocaleString("en")} entries`.padEnd(34)}${span(b)}   target ≤ 10,000 ms: ${median(b) <= 10_000 ? "met" : "NOT met"}`);
  console.log(`  added by the long log             ${(median(b) - median(e)).toFixed(0).padStart(6)} ms   ratio ${(median(b) / median(e)).toFixed(1)}×`);
  console.log(
    `  of which the start-up check alone ${inner.toFixed(0).padStart(6)} ms  (in this process, warm: entries ${check.whole!.from.toLocaleString("en")}–${check.whole!.to.toLocaleString("en")} read whole, ${check.sampled} older ones at random)`,
  );
} finally {
  rmSync(empty, { recursive: true, force: true });
}
