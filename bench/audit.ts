// The full audit in bounded memory (issue 27, point 4): `kyso audit verify` — the path auditors run — on a
// store of N documents (default 200,000; KYSO_BENCH_DOCUMENTS=N) against the same on N/10, each a new
// process, timed and its peak memory read by GNU time (/usr/bin/time -v). The stores are filled with kyso's
// own submit() (register rows of administrative agencies: each document's row, its facts logged and its
// rollups kept, as ingest writes them), 5,000 per transaction, and kept in KYSO_BENCH_STORE (default a
// temporary folder) for reruns. Target: memory flat from N/10 to N (the replay holds a batch of documents,
// not the store; under 1 GB at 2.5 million), time growing no faster than the store. Beside it, the
// replay alone in this process (replayFigures), and the full check at N on one core (KYSO_CHECK_THREADS=0)
// as the reference for the default, which verifies the log's signed heads on the other cores. Run with
// `npm run bench:audit`.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { submit, updateDirectory } from "../src/lifecycle/index.js";
import { openDb } from "../src/store/sqlite/db.js";
import { replayFigures } from "../src/store/sqlite/check.js";

const root = resolve(fileURLToPath(import.meta.url), "..", "..");
const bin = join(root, "bin", "kyso.js");
const N = Number(process.env.KYSO_BENCH_DOCUMENTS ?? 200_000);
const base = process.env.KYSO_BENCH_STORE ?? join(tmpdir(), "kyso-bench-audit");
const AGENCIES = Array.from({ length: 40 }, (_, i) => ({
  code: `H53.${String(i + 1).padStart(2, "0")}`,
  name: `Sở ${i + 1}`,
  parent: null,
  kind: "administrative" as const,
}));

function fill(dir: string, n: number): void {
  const db = openDb(dir);
  const have = (db.prepare("SELECT count(*) n FROM documents").get() as { n: number }).n;
  if (have >= n) {
    db.close();
    return;
  }
  if (have === 0) updateDirectory(db, AGENCIES, "bench");
  const t = performance.now();
  const batch = db.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const day = `2024-${String(1 + (i % 12)).padStart(2, "0")}-${String(1 + (i % 28)).padStart(2, "0")}`;
      submit(
        db,
        {
          kind: "document",
          source: "register",
          meta: {
            sender: AGENCIES[i % 40]!.code,
            recipients: [AGENCIES[(i + 1) % 40]!.code],
            number: `${i}/BC`,
            issuedDate: day,
            subject: `Báo cáo ${i}`,
            receivedAt: `${day}T08:00:00Z`,
            classification: "none",
            channel: "paper",
          },
          file: null,
        },
        "bench",
      );
    }
  });
  for (let i = have; i < n; i += 5_000) {
    batch(i, Math.min(n, i + 5_000));
    process.stderr.write(`\r  filling ${dir}: ${Math.min(n, i + 5_000).toLocaleString("en")} / ${n.toLocaleString("en")}`);
  }
  process.stderr.write(`\n  filled in ${((performance.now() - t) / 1000).toFixed(0)} s\n`);
  db.close();
}

/** kyso audit verify on `dir`: seconds and peak resident memory (MB), as GNU time reports them. */
function audit(dir: string, threads?: number): { seconds: number; mb: number } {
  const t = performance.now();
  const r = spawnSync("/usr/bin/time", ["-v", process.execPath, bin, "audit", "verify", "--data", dir], {
    encoding: "utf8",
    env: { ...process.env, KYSO_PUBLISH_HEADS: "off", ...(threads === undefined ? {} : { KYSO_CHECK_THREADS: String(threads) }) },
  });
  const seconds = (performance.now() - t) / 1000;
  if (r.status !== 0) throw new Error(`kyso audit verify failed on ${dir}: ${r.stdout}${r.stderr}`);
  const kb = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr)?.[1] ?? NaN);
  return { seconds, mb: kb / 1024 };
}

if (!existsSync(join(root, "dist", "cli", "main.js"))) throw new Error("run npm run build first (kyso audit runs from dist/)");
if (!existsSync("/usr/bin/time")) throw new Error("GNU time is needed for the peak memory (apt-get install time)");
const small = `${base}-${N / 10}`;
const large = `${base}-${N}`;
fill(small, N / 10);
fill(large, N);
const s = audit(small);
const l = audit(large);
// the reference: the same check on one core (the signed heads verified on the check's own thread)
const one = audit(large, 0);
const db = openDb(large);
const t = performance.now();
const f = replayFigures(db);
const inner = (performance.now() - t) / 1000;
db.close();
if (!f.ok) throw new Error(`the replay failed on the bench store: ${JSON.stringify(f.broken)}`);
const fmt = (x: { seconds: number; mb: number }) => `${x.seconds.toFixed(1).padStart(7)} s  ${x.mb.toFixed(0).padStart(6)} MB`;
console.log("kyso audit verify (the full check: every entry, the figures replayed), a new process each:");
console.log(`  ${(N / 10).toLocaleString("en").padStart(9)} documents  ${fmt(s)}`);
console.log(`  ${N.toLocaleString("en").padStart(9)} documents  ${fmt(l)}`);
console.log(`  growth ×10 documents: time ×${(l.seconds / s.seconds).toFixed(1)}, memory ×${(l.mb / s.mb).toFixed(2)}   (memory target: flat, under 1 GB)`);
console.log(`  of which the figures' replay alone, in this process: ${inner.toFixed(1)} s over ${f.documents.toLocaleString("en")} documents`);
console.log(
  `  the same on one core (KYSO_CHECK_THREADS=0): ${fmt(one)}: the default (the signed heads on ${cpus().length - 1} other core${cpus().length === 2 ? "" : "s"} while the figures are replayed) takes ×${(l.seconds / one.seconds).toFixed(2)} its time`,
);
