// The document list of a period in each sort order (issue 27, point 2): what GET /api/v1/documents reads
// with from/to and a sort (the store's document reads, as the route calls them, 100 a page), on an
// embedded store of N documents over five years (default 200,000; KYSO_BENCH_DOCUMENTS=N), filled with
// kyso's own submit() (register rows, 5,000 per transaction) and kept in KYSO_BENCH_STORE (default a
// temporary folder) for reruns. Prints, for a year, a month and one day of the five, the time of the
// first page (with its total) and of the page after it, each the median of a few runs, and the plan
// SQLite chose for the first. Target: a page costs its rows and the index entries it skips, not a sort
// of the period. Run: npx tsx bench/list-sorts.ts
import { tmpdir } from "node:os";
import { join } from "node:path";
import { submit, updateDirectory } from "../src/lifecycle/index.js";
import { DOCUMENT_SORTS, type DocumentSort } from "../src/store/document-list/sorts.js";
import { openDb, type Db } from "../src/store/sqlite/db.js";
import { sqliteDocumentReads } from "../src/store/sqlite/document-reads.js";

const N = Number(process.env.KYSO_BENCH_DOCUMENTS ?? 200_000);
const dir = process.env.KYSO_BENCH_STORE ?? join(tmpdir(), `kyso-bench-list-sorts-${N}`);
const LIMIT = 100;
const RUNS = 5;
const DAYS = 5 * 365 + 1;
const FIRST_DAY = Date.UTC(2022, 0, 1);
const AGENCIES = Array.from({ length: 40 }, (_, i) => ({
  code: `H53.${String(i + 1).padStart(2, "0")}`,
  name: `Sở ${i + 1}`,
  parent: null,
  kind: "administrative" as const,
}));
const KINDS = ["BC", "UBND-VP", "QĐ-UBND", "CV", "TTr", "KH"];

function fill(db: Db): void {
  const have = (db.prepare("SELECT count(*) n FROM documents").get() as { n: number }).n;
  if (have >= N) return;
  if (have === 0) updateDirectory(db, AGENCIES, "bench");
  const t = performance.now();
  const batch = db.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) {
      // the days spread over the five years in an order unlike the order recorded
      const day = new Date(FIRST_DAY + ((i * 7919) % DAYS) * 86_400_000).toISOString().slice(0, 10);
      submit(
        db,
        {
          kind: "document",
          source: "register",
          meta: {
            sender: AGENCIES[i % 40]!.code,
            recipients: [AGENCIES[(i + 1) % 40]!.code],
            number: `${1 + ((i * 31) % 4000)}/${KINDS[i % KINDS.length]}`,
            issuedDate: day,
            subject: `Báo cáo ${i}`,
            receivedAt: `${day}T${String(7 + (i % 10)).padStart(2, "0")}:${String(i % 60).padStart(2, "0")}:00Z`,
            classification: "none",
            channel: "paper",
          },
          file: null,
        },
        "bench",
      );
    }
  });
  for (let i = have; i < N; i += 5_000) {
    batch(i, Math.min(N, i + 5_000));
    process.stderr.write(`\r  filling ${dir}: ${Math.min(N, i + 5_000).toLocaleString("en")} / ${N.toLocaleString("en")}`);
  }
  process.stderr.write(`\n  filled in ${((performance.now() - t) / 1000).toFixed(0)} s\n`);
}

const db = openDb(dir);
fill(db);
const reads = sqliteDocumentReads(db);

/** The list's statements SQLite prepares while `run` runs, with the plan it chose for each. */
async function planned<T>(run: () => Promise<T>): Promise<{ value: T; plans: string[] }> {
  const prepare = db.prepare.bind(db);
  const plans: string[] = [];
  (db as { prepare: typeof prepare }).prepare = ((sql: string) => {
    if (/^SELECT documents\.\*/.test(sql))
      plans.push(
        (prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...[...sql.matchAll(/\?/g)].map(() => "x")) as Array<{ detail: string }>).map((r) => r.detail).join("; "),
      );
    return prepare(sql);
  }) as typeof prepare;
  try {
    return { value: await run(), plans };
  } finally {
    (db as { prepare: typeof prepare }).prepare = prepare;
  }
}

async function get(from: string, to: string, sort: DocumentSort, cursor?: string): Promise<{ ms: number; next: string | null }> {
  const t = performance.now();
  const r = await reads.list({ filter: { from, to }, sort, limit: LIMIT, ...(cursor ? { cursor } : {}) });
  return { ms: performance.now() - t, next: r.next };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

console.log(`The document list (GET /api/v1/documents), ${LIMIT} a page, on ${N.toLocaleString("en")} documents over 2022-2026 (median of ${RUNS} runs):`);
for (const [label, from, to] of [
  ["a year", "2024-01-01", "2024-12-31"],
  ["a month", "2024-06-01", "2024-06-30"],
  ["one day", "2024-06-15", "2024-06-15"],
] as const) {
  const inPeriod = (db.prepare("SELECT count(*) n FROM documents WHERE period_date BETWEEN ? AND ?").get(from, to) as { n: number }).n;
  console.log(`\n${label} (from=${from}&to=${to}: ${inPeriod.toLocaleString("en")} documents)`);
  console.log(`  ${"sort".padEnd(14)} ${"first page".padStart(11)} ${"next page".padStart(11)}  plan`);
  for (const sort of DOCUMENT_SORTS) {
    const { value: first, plans } = await planned(() => get(from, to, sort));
    const firsts = [first.ms];
    const seconds: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      if (i > 0) firsts.push((await get(from, to, sort)).ms);
      if (first.next) seconds.push((await get(from, to, sort, first.next)).ms);
    }
    const ms = (xs: number[]) => (xs.length ? `${median(xs).toFixed(1)} ms` : "-").padStart(11);
    console.log(`  ${sort.padEnd(14)} ${ms(firsts)} ${ms(seconds)}  ${plans[0] ?? "?"}`);
  }
}
db.close();
