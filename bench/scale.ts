// bench/scale (issue 27, point 1): every figure of issue 27 at N/10, N/2 and N documents (default N =
// 2,500,000, five years of a merged province; KYSO_BENCH_DOCUMENTS=N), with the growth, as a markdown table
// per store backend: the embedded SQLite store and PostgreSQL (KYSO_BENCH_BACKEND=sqlite|postgres|both;
// default both when PostgreSQL's programs are installed, as bench/pipeline finds them, else SQLite alone).
//
// How the store is filled: through the store's ports, with kyso's own code, as ingest and the runner write
// it, the same way on both backends. A pool of 1,200 generated sample-province documents (fixtures/sample:
// signed, Nghị định 30, scans, unsigned, tampered, expired, paper and classified, with their ground truth)
// is analysed once with kyso's analyzer. Each stored document is then a distinct one: a sender of the
// sample directory (fixtures/sample/agencies.csv, recorded with updateDirectoryOn), its own number
// (`<i>/VB-<sender>`) and issue date (spread evenly over 2021–2025 whatever N is, so every stage holds five
// years), and its own bytes: a pool PDF of that sender with a line `%kyso-bench <i>` added after its end,
// stored with BlobStore.putAsync (as an upload is, flushed). It is submitted with submitTo() on the
// store's LifecycleStore (the life cycle's entry point, what POST /api/v1/documents calls), claimed with
// the port's claim() under the node `bench-fill` and settled with settleAnalysis() (what the runner calls)
// with the pool document's report, its sha256, size, receipt and validation time set to this document's:
// so each document has its analysis row, signature rows, facts, rollups and log entries (hashed, chained,
// tree head signed) as a real upload has. The signatures' details are the pool document's. Paper and
// classified rows are submitted without a file (as a register row is). Each step is its own transaction,
// as in production; several documents go through at once (KYSO_BENCH_FILL_CONCURRENCY; default 32 on
// SQLite, whose flushes they share as concurrent uploads share them, 8 on PostgreSQL, whose round trips
// overlap on the store's 10 connections). A run stopped in the
// middle leaves documents queued or claimed by `bench-fill`: the next run settles them first. The fill's
// rate is the store's own cost per document, not the server's, which is measured apart by real uploads
// through HTTP at each stage.
//
// At each stage `kyso serve` (from dist/, npm run build first) runs on the store with the sample trust
// folder, and the bench measures: start-up to /readyz (spawn to 200, the program's files warm, the
// database not cached: on SQLite the database file and its WAL dropped from the page cache with dd's
// nocache flag; on PostgreSQL the cluster restarted, its shared buffers emptied, and every file of it
// dropped from the page cache the same way while it was stopped; the server's own start is not timed),
// the server's full check at start (waited for before anything else: it uses the second core), p50/p95 of
// 20 requests (after one not timed) per API read with a viewer key, the dashboard's first load as the page
// makes it (stats/periods, then its ten requests in parallel), a burst of real uploads (generated PDFs, 8
// in flight from a separate process) until all are analysed, `kyso audit verify --since` the head `kyso
// audit head` gave before the burst (the day's entries; kyso serve running, /healthz polled), a directory
// change (PUT /api/v1/agencies, admin key: 8 of the 40 administrative senders, ~20% of the documents,
// merged into another agency from 2023-07-01, or back) with /healthz polled while it runs and then while
// the derivation it queued runs in the background. Then, the server still serving and /healthz polled:
// the full `kyso audit verify` (time and peak RSS with /usr/bin/time -v), `kyso backup` into an empty temporary folder while uploads keep arriving (10
// a second, from another process, each another document), and the next backup into the same folder
// (removed after). On PostgreSQL every kyso command runs with KYSO_DATABASE_URL naming the bench's database.
//
// The store is kept in KYSO_BENCH_STORE (default $TMPDIR/kyso-bench-scale), so a rerun reuses and grows
// it: the SQLite store in data/, with bench.json (how many documents were filled and each stage's
// figures); PostgreSQL's in postgres/: its cluster (postgres/cluster, started for the run on a free
// loopback port with PostgreSQL's default durability, every commit flushed as SQLite's synchronous=FULL
// does, and stopped after), the data folder for the PDFs and the log's key (postgres/data), and its own
// bench.json. A stage the store has already passed is not measured again, its last figures are shown,
// dated. Run: npm run bench:scale (KYSO_BENCH_DOCUMENTS=20000 takes a few minutes; 200,000 took 15 on the
// 2-core machine, SQLite alone).
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { get as httpGet } from "node:http";
import { cpus, loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { analyze } from "../src/analyze.js";
import { parsePolicy } from "../src/compliance/policy.js";
import { loadTrustStore } from "../src/config.js";
import { agenciesFromCsv } from "../src/ingest/agencies.js";
import { submitTo, updateDirectoryOn } from "../src/lifecycle/index.js";
import { settleAnalysis } from "../src/lifecycle/settle.js";
import { BlobStore } from "../src/store/blobs.js";
import { existenceOf } from "../src/store/existence.js";
import { openStore, type StoreHandle } from "../src/store/open-store.js";
import type { LifecycleStore } from "../src/store/ports.js";
import type { DocumentMeta, DocumentRow } from "../src/store/rows.js";
import { storePaths } from "../src/store/paths.js";
import type { DocumentReport } from "../src/verify/report.js";
import { AGENCIES_CSV, generateSample, SAMPLE_TRUST, type SampleItem } from "../fixtures/sample/generate.js";
import { freePort, stopChild } from "../scripts/lib/processes.js";
import { hasPostgres, startCluster, type RunningCluster } from "../scripts/lib/postgres.js";

const ROOT = resolve(fileURLToPath(import.meta.url), "..", "..");
const BIN = join(ROOT, "bin", "kyso.js");
const N = Number(process.env.KYSO_BENCH_DOCUMENTS ?? 2_500_000);
if (!Number.isInteger(N) || N < 1000)
  throw new Error(`KYSO_BENCH_DOCUMENTS must be a whole number of at least 1,000, not '${process.env.KYSO_BENCH_DOCUMENTS}'`);
const STORE = resolve(process.env.KYSO_BENCH_STORE ?? join(tmpdir(), "kyso-bench-scale"));
const CHOICE = process.env.KYSO_BENCH_BACKEND ?? (hasPostgres ? "both" : "sqlite");
if (!["sqlite", "postgres", "both"].includes(CHOICE)) throw new Error(`KYSO_BENCH_BACKEND must be sqlite, postgres or both, not '${CHOICE}'`);
if (CHOICE !== "sqlite" && !hasPostgres)
  throw new Error("KYSO_BENCH_BACKEND asks for PostgreSQL, but its programs are not installed (Debian's postgresql: /usr/lib/postgresql/*/bin/initdb)");
const STAGES = [Math.round(N / 10), Math.round(N / 2), N];
const RUNS = 20;
/** documents filled between two saves of the count (and two marks of the fill's rate) */
const BATCH = 500;
/**
 * Documents going through the fill at once: on SQLite (one writer) they share the WAL's flushes, 32 about
 * doubled the rate of 8; on PostgreSQL the store's pool has 10 connections, and 16 filled no faster than 8.
 */
const fillAtOnce = process.env.KYSO_BENCH_FILL_CONCURRENCY ? Number(process.env.KYSO_BENCH_FILL_CONCURRENCY) : null;
if (fillAtOnce !== null && (!Number.isInteger(fillAtOnce) || fillAtOnce < 1))
  throw new Error("KYSO_BENCH_FILL_CONCURRENCY must be a whole number of at least 1");
const FILL_CONCURRENCY: Record<Backend["name"], number> = { SQLite: fillAtOnce ?? 32, PostgreSQL: fillAtOnce ?? 8 };
const BURST = 300;
const WARM = 20;
/** uploads a second while a backup is taken (a province's busiest hour is far below) */
const UPLOAD_RATE = 10;
/** documents spread over these days whatever N is (Weyl sequence: any prefix of the fill is spread evenly too) */
const FIRST_DAY = Date.UTC(2021, 0, 1);
const DAYS = 1826;
const YEAR = { from: "2024-01-01", to: "2024-12-31" };
const FILL_ACTOR = "key:bench-fill (ingest, bench scale fill)";
const RUNNER_ACTOR = "embedded-runner";
/** the node the fill's claims are held under, and for how long (a stopped run's claims are put back by the next) */
const FILL_NODE = "bench-fill";
const FILL_LEASE_MS = 3_600_000;
const policy = parsePolicy(process.env);

const log = (s: string) => process.stderr.write(`${s}\n`);
const fmtInt = (n: number) => Math.round(n).toLocaleString("en");

interface State {
  filled: number;
  /** fill rate (documents/s) measured before each stage, by the stage's size */
  fillRates: Record<string, number>;
  /** each stage's figures as last measured, by the stage's size: shown when a rerun has passed it */
  stages?: Record<string, { at: string; figures: Figures }>;
}

// ---- the backends ---------------------------------------------------------------------------------------------

interface Backend {
  name: "SQLite" | "PostgreSQL";
  /** bench.json's folder */
  dir: string;
  /** kyso's data folder (--data): the store on SQLite, the PDFs and the log's key on PostgreSQL */
  data: string;
  /** the database's URL on PostgreSQL (KYSO_DATABASE_URL), for openStore and every kyso command */
  databaseUrl?: string;
  /** what kyso's commands run with */
  env: NodeJS.ProcessEnv;
  /** Drops the database from every cache before a start; says what was done. */
  uncache(): string;
  /** how the database was not cached, for the output */
  uncached: string;
  close(): void;
}

/** bench.json's folder: the SQLite store's (where it was before PostgreSQL was measured) or PostgreSQL's */
const dirOf = (name: Backend["name"]) => (name === "SQLite" ? STORE : join(STORE, "postgres"));
const stateFile = (name: Backend["name"]) => join(dirOf(name), "bench.json");
const readState = (name: Backend["name"]): State =>
  existsSync(stateFile(name)) ? (JSON.parse(readFileSync(stateFile(name), "utf8")) as State) : { filled: 0, fillRates: {} };
const writeState = (b: Backend, s: State) => writeFileSync(stateFile(b.name), JSON.stringify(s, null, 1));

/** Drops files' pages from the page cache (posix_fadvise DONTNEED through dd), flushed first; their bytes. */
function evict(files: string[]): number {
  let bytes = 0;
  for (const f of files) {
    if (!existsSync(f)) continue;
    bytes += statSync(f).size;
    spawnSync("dd", [`of=${f}`, "oflag=nocache", "conv=notrunc,fdatasync", "count=0", "status=none"]);
    spawnSync("dd", [`if=${f}`, "iflag=nocache", "count=0", "status=none"]);
  }
  return bytes;
}

const filesUnder = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : e.isFile() ? [join(dir, e.name)] : []));

function sqliteBackend(): Backend {
  const data = join(STORE, "data");
  const env = { ...process.env };
  delete env.KYSO_DATABASE_URL;
  return {
    name: "SQLite",
    dir: dirOf("SQLite"),
    data,
    env,
    uncached: "the database file and its WAL dropped from the page cache (dd nocache)",
    uncache() {
      const db = storePaths(data).db;
      const bytes = evict([db, `${db}-wal`]);
      return `the database file and its WAL (${fmtInt(bytes / 2 ** 20)} MB) dropped from the page cache`;
    },
    close() {},
  };
}

async function postgresBackend(): Promise<Backend> {
  const dir = dirOf("PostgreSQL");
  mkdirSync(dir, { recursive: true });
  const cluster: RunningCluster = await startCluster(join(dir, "cluster"));
  let stopped = false;
  const stop = () => {
    if (!stopped) cluster.stop();
    stopped = true;
  };
  process.on("exit", stop);
  cluster.ensureDatabase("kyso_bench");
  const databaseUrl = cluster.url("kyso_bench");
  log(`  PostgreSQL: the cluster in ${cluster.dir} started on port ${cluster.port}, database kyso_bench`);
  return {
    name: "PostgreSQL",
    dir,
    data: join(dir, "data"),
    databaseUrl,
    env: { ...process.env, KYSO_DATABASE_URL: databaseUrl },
    uncached:
      "the cluster restarted (its shared buffers emptied) and every file of it dropped from the page cache (dd nocache) while it was stopped; its own start not timed",
    uncache() {
      let files = 0;
      let bytes = 0;
      cluster.restart(() => {
        const all = filesUnder(cluster.data);
        files = all.length;
        bytes = evict(all);
      });
      return `the cluster restarted, its ${fmtInt(files)} files (${fmtInt(bytes / 2 ** 20)} MB) dropped from the page cache while it was stopped`;
    },
    close: stop,
  };
}

/** A deterministic draw in [0, 1) for document i (independent draws per salt). */
function draw(i: number, salt: number): number {
  let h = Math.imul(i ^ Math.imul(salt, 0x27d4eb2d), 0x9e3779b1);
  h ^= h >>> 15;
  h = Math.imul(h, 0x85ebca77);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae3d);
  h ^= h >>> 16;
  return (h >>> 0) / 2 ** 32;
}

const dayOf = (i: number): string => new Date(FIRST_DAY + Math.floor(((i * 0.6180339887498949) % 1) * DAYS) * 86_400_000).toISOString().slice(0, 10);

// ---- the pool: real documents, analysed once ---------------------------------------------------------------

interface PoolDoc {
  item: SampleItem;
  bytes: Buffer | null;
  report: DocumentReport | null;
  ms: number;
}

async function makePool(dir: string): Promise<Map<string, PoolDoc[]>> {
  const t = performance.now();
  const items = generateSample(dir, { documents: 1200, seed: 2027 });
  const trust = loadTrustStore([SAMPLE_TRUST]);
  const bySender = new Map<string, PoolDoc[]>();
  for (const item of items) {
    let doc: PoolDoc = { item, bytes: null, report: null, ms: 0 };
    if (item.file) {
      const bytes = readFileSync(join(dir, item.file));
      const now = new Date().toISOString();
      const t0 = performance.now();
      // as the embedded runner analyses an upload: received now (kyso's receipt), the declared time kept
      const report = await analyze(bytes, { now, receivedAt: now, existenceBasis: "receipt", declaredReceivedAt: item.meta.receivedAt, trust, text: true });
      doc = { item, bytes, report, ms: performance.now() - t0 };
    }
    bySender.set(item.meta.sender, [...(bySender.get(item.meta.sender) ?? []), doc]);
  }
  log(`  pool: ${items.length} generated documents, ${items.filter((i) => i.file).length} PDFs analysed, in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  return bySender;
}

// ---- the fill ----------------------------------------------------------------------------------------------

/** Document i of the fill: its metadata, and its bytes (null for a paper or classified row). */
function documentOf(i: number, senders: string[], pool: Map<string, PoolDoc[]>): { meta: DocumentMeta; doc: PoolDoc; bytes: Buffer | null } {
  const sender = senders[Math.floor(draw(i, 1) * senders.length)]!;
  const docs = pool.get(sender)!;
  const doc = docs[Math.floor(draw(i, 2) * docs.length)]!;
  const day = dayOf(i);
  const m = doc.item.meta;
  const meta: DocumentMeta = {
    sender,
    recipients: m.recipients.split(","),
    number: `${i + 1}/VB-${sender.replace(/\./g, "-")}`,
    issuedDate: day,
    type: m.type,
    subject: m.subject,
    classification: m.classification,
    receivedAt: `${day}T09:00:00+07:00`,
    channel: m.channel,
  };
  return { meta, doc, bytes: doc.bytes ? Buffer.concat([doc.bytes, Buffer.from(`%kyso-bench ${i}\n`)]) : null };
}

/** The pool report as this document's analysis: its own file, receipt and validation time. */
function reportFor(pool: DocumentReport, sha256: string, bytes: number, row: DocumentRow): DocumentReport {
  const e = existenceOf(row);
  const time = new Date(e.receivedAt).toISOString();
  const existence = pool.existence
    ? {
        time,
        proof: pool.existence.proof,
        ...(e.declaredReceivedAt !== e.receivedAt
          ? { declaredReceivedAt: e.declaredReceivedAt, ...(pool.existence.note ? { note: pool.existence.note } : {}) }
          : {}),
      }
    : undefined;
  return { ...pool, sha256, bytes, validationTime: e.receivedAt, ...(existence ? { existence } : {}) };
}

interface Fill {
  lifecycle: LifecycleStore;
  senders: string[];
  pool: Map<string, PoolDoc[]>;
}

/**
 * Settles a document the fill claimed: the analysis of the fill's document its number names (claims take
 * the oldest queued document, which, with several in flight, may be another one the fill submitted).
 */
async function settleClaimed(f: Fill, row: DocumentRow): Promise<void> {
  const i = Number(/^(\d+)\/VB-/.exec(row.number ?? "")?.[1] ?? 0) - 1;
  const d = i >= 0 ? documentOf(i, f.senders, f.pool) : null;
  if (!d?.doc.report || d.meta.number !== row.number || d.meta.sender !== row.sender || !row.sha256 || row.bytes === null) {
    await f.lifecycle.requeue([row.id], FILL_NODE);
    throw new Error(`the store has documents waiting for analysis that the fill did not submit (${row.id}): run kyso serve on it until they are done`);
  }
  const by = { policy, actor: RUNNER_ACTOR, holder: { node: FILL_NODE, attempts: row.attempts } };
  const outcome = await settleAnalysis(f.lifecycle, row.id, reportFor(d.doc.report, row.sha256, row.bytes, row), d.doc.ms, by);
  if (outcome !== "analysed") throw new Error(`the fill's analysis of document ${row.id} was not recorded: ${outcome}`);
}

/** Every queued document claimed and settled (a fill document's, else an error); how many. */
async function drain(f: Fill): Promise<number> {
  let n = 0;
  for (let row = await f.lifecycle.claim(FILL_NODE, FILL_LEASE_MS); row; row = await f.lifecycle.claim(FILL_NODE, FILL_LEASE_MS), n++)
    await settleClaimed(f, row);
  return n;
}

/** What a run stopped in the middle of the fill left: its claims put back, then every queued document settled. */
async function resumeFill(f: Fill): Promise<number> {
  for (const h of await f.lifecycle.holders()) if (h.node === FILL_NODE) await f.lifecycle.requeue(h.ids, FILL_NODE);
  return drain(f);
}

/** One document of the fill, as an upload and its analysis are recorded: its PDF stored, submitted, claimed and settled. */
async function fillOne(f: Fill, i: number, blobs: BlobStore): Promise<void> {
  const d = documentOf(i, f.senders, f.pool);
  const file = d.bytes ? { sha256: await blobs.putAsync(d.bytes), bytes: d.bytes.length, kind: "pdf" as const, name: null } : null;
  const r = await submitTo(f.lifecycle, { kind: "document", source: file ? "upload" : "register", meta: d.meta, file }, FILL_ACTOR);
  // submitted by a run stopped before its count was saved: the same document, left as it is (settled by resumeFill)
  if (r.existing) return;
  if (r.conflict || !r.id) throw new Error(`the fill's document ${d.meta.number} was refused: ${r.note}`);
  if (!file) return;
  // the oldest queued document: this one, or another submitted meanwhile. On PostgreSQL a claim may find
  // none (another worker's claim, begun later, took the oldest, while this one's snapshot predates the
  // newer documents): the batch's end claims what is left
  const row = await f.lifecycle.claim(FILL_NODE, FILL_LEASE_MS);
  if (row) await settleClaimed(f, row);
}

async function fill(b: Backend, state: State, to: number, f: Fill): Promise<Array<[number, number]>> {
  const blobs = new BlobStore(storePaths(b.data).blobs);
  const marks: Array<[number, number]> = [[state.filled, performance.now()]];
  while (state.filled < to) {
    const end = Math.min(to, state.filled + BATCH);
    let next = state.filled;
    await Promise.all(
      Array.from({ length: FILL_CONCURRENCY[b.name] }, async () => {
        while (next < end) await fillOne(f, next++, blobs);
      }),
    );
    await drain(f);
    state.filled = end;
    writeState(b, state);
    marks.push([end, performance.now()]);
    if (marks.length % 20 === 0 || end === to) {
      const [c0, t0] = marks[Math.max(0, marks.length - 21)]!;
      process.stderr.write(`\r  filling: ${fmtInt(end)} / ${fmtInt(to)}  ${fmtInt(((end - c0) / (performance.now() - t0)) * 1000)} documents/s   `);
    }
  }
  process.stderr.write("\n");
  return marks;
}

/** Documents/s over the fill's last `window` documents before `at` (null when this run filled none of them). */
function rateBefore(marks: Array<[number, number]>, at: number, window: number): number | null {
  const end = marks.findIndex(([c]) => c >= at);
  if (end <= 0) return null;
  let start = end - 1;
  while (start > 0 && marks[end]![0] - marks[start]![0] < window) start--;
  return ((marks[end]![0] - marks[start]![0]) / (marks[end]![1] - marks[start]![1])) * 1000;
}

// ---- kyso serve and its API ---------------------------------------------------------------------------------

interface Server {
  child: ChildProcess;
  url: string;
  readyMs: number;
  stderr: string[];
}

const children = new Set<ChildProcess>();
process.on("exit", () => children.forEach((c) => c.kill("SIGKILL")));
process.on("SIGINT", () => process.exit(130));

async function startServer(b: Backend): Promise<Server> {
  log(`  ${b.uncache()}`);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const t = performance.now();
  const child = spawn(process.execPath, [BIN, "serve", "--port", String(port), "--data", b.data, "--trust", SAMPLE_TRUST], {
    stdio: ["ignore", "ignore", "pipe"],
    env: b.env,
  });
  children.add(child);
  const stderr: string[] = [];
  createInterface({ input: child.stderr! }).on("line", (l) => stderr.push(l));
  for (;;) {
    const r = await fetch(`${url}/readyz`).then(
      (x) => x.status,
      () => 0,
    );
    if (r === 200) break;
    if (r === 503) throw new Error(`the bench store is not ready: ${await (await fetch(`${url}/readyz`)).text()}`);
    if (child.exitCode !== null) throw new Error(`kyso serve ended (${child.exitCode}): ${stderr.join("\n")}`);
    if (performance.now() - t > 600_000) throw new Error("kyso serve did not become ready in 10 minutes");
    await new Promise((r) => setTimeout(r, 5));
  }
  return { child, url, readyMs: performance.now() - t, stderr };
}

async function stopServer(s: Server): Promise<number> {
  // its peak memory, read before it ends
  const status = existsSync(`/proc/${s.child.pid}/status`) ? readFileSync(`/proc/${s.child.pid}/status`, "utf8") : "";
  const hwm = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
  await stopChild(s.child);
  children.delete(s.child);
  return hwm;
}

function createKey(b: Backend, role: string): string {
  const r = spawnSync(process.execPath, [BIN, "keys", "create", "--role", role, "--label", `bench ${role}`, "--data", b.data], {
    encoding: "utf8",
    env: b.env,
  });
  if (r.status !== 0) throw new Error(`kyso keys create: ${r.stderr}`);
  return r.stdout.trim();
}

async function get(url: string, key: string): Promise<Response> {
  const r = await fetch(url, { headers: { authorization: `Bearer ${key}` } }).catch((e: Error & { cause?: { code?: string } }) => {
    // a kept-alive connection the server closed while its event loop was held (a directory change): once more on a new one
    if (e.cause?.code === "ECONNRESET" || e.cause?.code === "UND_ERR_SOCKET") return fetch(url, { headers: { authorization: `Bearer ${key}` } });
    throw e;
  });
  if (!r.ok) throw new Error(`GET ${url}: ${r.status} ${await r.text()}`);
  return r;
}

/** Milliseconds of `runs` requests one after another (the body read), after one not timed. */
async function timeGets(url: string, key: string, runs = RUNS): Promise<number[]> {
  await (await get(url, key)).arrayBuffer();
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await (await get(url, key)).arrayBuffer();
    out.push(performance.now() - t);
  }
  return out;
}

async function metric(url: string, key: string, name: string): Promise<number> {
  const text = await (await get(`${url}/metrics`, key)).text();
  const m = new RegExp(`^${name} (-?[\\d.e+]+)$`, "m").exec(text);
  return m ? Number(m[1]) : NaN;
}

async function documentsDone(url: string, key: string): Promise<number> {
  const text = await (await get(`${url}/metrics`, key)).text();
  let n = 0;
  for (const m of text.matchAll(/^kyso_documents\{status="(done|failed)"\} (\d+)$/gm)) n += Number(m[2]);
  return n;
}

/** The dashboard's first load, as the page makes it (src/api/dashboard.ts load()): milliseconds. */
async function dashboardLoad(url: string, key: string): Promise<number> {
  const t = performance.now();
  const body = async (path: string) => (await get(`${url}${path}`, key)).json() as Promise<{ latest?: string | null }>;
  const p = await body("/api/v1/stats/periods");
  const y = Number((p.latest ?? "2025").slice(0, 4));
  const q = `from=${y}-01-01&to=${y}-12-31`;
  await Promise.all([
    body(`/api/v1/stats/summary?${q}`),
    body(`/api/v1/stats/agencies?${q}`),
    body(`/api/v1/stats/timeseries?${q}`),
    body("/api/v1/directory-gaps"),
    body(`/api/v1/stats/summary?from=${y - 1}-01-01&to=${y - 1}-12-31`),
    body(`/api/v1/stats/next?${q}`),
    body("/api/v1/agencies"),
    ...["another-agency", "not-matched", "no-organisation-signature"].map((b) => body(`/api/v1/documents?limit=500&binding=${b}&${q}`)),
  ]);
  return performance.now() - t;
}

/** Uploads the manifest's documents from a separate process (bench/upload-client.ts) and waits until all are analysed. */
async function uploadBurst(url: string, ingestKey: string, viewerKey: string, manifest: string, n: number): Promise<{ seconds: number; analysed: number }> {
  const before = await documentsDone(url, viewerKey);
  const client = spawn(process.execPath, ["--import", "tsx", join(ROOT, "bench", "upload-client.ts"), url, manifest], {
    cwd: ROOT,
    stdio: ["pipe", "pipe", "inherit"],
    env: { ...process.env, KYSO_API_KEY: ingestKey },
  });
  children.add(client);
  const lines = createInterface({ input: client.stdout! });
  const said = (word: string) =>
    new Promise<void>((done, fail) => {
      lines.on("line", (l) => l === word && done());
      client.once("exit", (code) => code !== 0 && fail(new Error(`the upload client ended with ${code}`)));
    });
  await said("ready");
  const t = performance.now();
  const finished = said("done");
  client.stdin!.write("go\n");
  await finished;
  while ((await metric(url, viewerKey, "kyso_queue_depth")) > 0) await new Promise((r) => setTimeout(r, 20));
  const seconds = (performance.now() - t) / 1000;
  children.delete(client);
  return { seconds, analysed: (await documentsDone(url, viewerKey)) - before };
}

interface Agency {
  code: string;
  kind: string;
  validTo?: string | null;
  successor?: string | null;
  [k: string]: unknown;
}

/**
 * A reorganisation: 8 of the 40 administrative senders (~20% of the documents) merged into another
 * agency from 2023-07-01, or, when they already are, that undone. The PUT's time and /healthz's, polled
 * one request after another while it runs.
 */
async function directoryChange(
  url: string,
  adminKey: string,
  viewerKey: string,
): Promise<{ putMs: number; healthMaxMs: number; polls: number; entries: number; entriesBefore: number; merged: boolean }> {
  const list = ((await (await get(`${url}/api/v1/agencies`, viewerKey)).json()) as { agencies: Agency[] }).agencies;
  const admin = list.filter((a) => a.kind === "administrative" && a.code !== "H53" && a.code !== "H53.01").sort((a, b) => a.code.localeCompare(b.code));
  const into = admin[0]!.code;
  const movers = admin.slice(-8);
  const merge = !movers[0]!.successor;
  const rows = movers.map((a) => ({ ...a, validTo: merge ? "2023-07-01" : null, successor: merge ? into : null }));
  const entriesBefore = await metric(url, viewerKey, "kyso_audit_entries");
  const t = performance.now();
  const put = fetch(`${url}/api/v1/agencies`, {
    method: "PUT",
    headers: { authorization: `Bearer ${adminKey}`, "content-type": "application/json" },
    body: JSON.stringify(rows),
  }).then(async (r) => {
    const ms = performance.now() - t;
    if (!r.ok) throw new Error(`PUT /api/v1/agencies: ${r.status} ${await r.text()}`);
    return ms;
  });
  // back to back while the request runs: it lasts milliseconds, and a held loop is what is looked for
  const { value: putMs, maxMs: healthMaxMs, polls } = await healthWhile(url, put, 0);
  return { putMs, healthMaxMs, polls, entries: (await metric(url, viewerKey, "kyso_audit_entries")) - entriesBefore, entriesBefore, merged: merge };
}

/**
 * GET /healthz on a new connection each time (a kept-alive one may be closed by the server's idle timer
 * as its event loop comes free, a reset that is the client's, not the server's answer).
 */
function health(url: string): Promise<void> {
  return new Promise((done, fail) => {
    httpGet(`${url}/healthz`, { agent: false }, (r) => {
      r.resume();
      r.on("end", () => (r.statusCode === 200 ? done() : fail(new Error(`/healthz: ${r.statusCode}`))));
    }).on("error", fail);
  });
}

/** Runs a kyso command under /usr/bin/time -v: seconds and peak RSS (MB). */
function timed(b: Backend, args: string[]): { seconds: number; rssMb: number; out: string } {
  const t = performance.now();
  const r = spawnSync("/usr/bin/time", ["-v", process.execPath, BIN, ...args, "--data", b.data], { encoding: "utf8", maxBuffer: 1 << 28, env: b.env });
  const seconds = (performance.now() - t) / 1000;
  if (r.status !== 0) throw new Error(`kyso ${args.join(" ")} ended with ${r.status}: ${r.stdout.slice(-2000)}${r.stderr.slice(-2000)}`);
  return { seconds, rssMb: Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr)?.[1] ?? 0) / 1024, out: r.stdout };
}

/** The same, spawned (the bench's own loop stays free to poll /healthz meanwhile). */
function timedAsync(b: Backend, args: string[]): Promise<{ seconds: number; rssMb: number; out: string }> {
  const t = performance.now();
  const child = spawn("/usr/bin/time", ["-v", process.execPath, BIN, ...args, "--data", b.data], { stdio: ["ignore", "pipe", "pipe"], env: b.env });
  children.add(child);
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout!.on("data", (c: Buffer) => out.push(c));
  child.stderr!.on("data", (c: Buffer) => err.push(c));
  return new Promise((done, fail) =>
    child.on("exit", (code) => {
      children.delete(child);
      const [o, e] = [Buffer.concat(out).toString(), Buffer.concat(err).toString()];
      if (code !== 0) return fail(new Error(`kyso ${args.join(" ")} ended with ${code}: ${o.slice(-2000)}${e.slice(-2000)}`));
      done({ seconds: (performance.now() - t) / 1000, rssMb: Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(e)?.[1] ?? 0) / 1024, out: o });
    }),
  );
}

/**
 * /healthz polled while `work` runs, every `pauseMs` (20: as a monitor would, far more often; back to back,
 * over minutes of work, the polling itself took a third of a core from it): the slowest answer, and how many.
 */
async function healthWhile<T>(url: string, work: Promise<T>, pauseMs = 20): Promise<{ value: T; maxMs: number; polls: number }> {
  let done = false;
  const w = work.finally(() => (done = true));
  let maxMs = 0;
  let polls = 0;
  while (!done) {
    const h = performance.now();
    await health(url);
    maxMs = Math.max(maxMs, performance.now() - h);
    polls++;
    if (pauseMs) await new Promise((r) => setTimeout(r, pauseMs));
  }
  return { value: await w, maxMs, polls };
}

/** Polls until `busy` says no more (the background work a change left): seconds. */
async function untilIdle(busy: () => Promise<boolean>): Promise<number> {
  const t = performance.now();
  while (await busy()) {
    if (performance.now() - t > 3_600_000) throw new Error("the server's background work did not end in an hour");
    await new Promise((r) => setTimeout(r, 200));
  }
  return (performance.now() - t) / 1000;
}

/** Uploads at a steady rate from another process (bench/upload-client.ts), each another document, until stopped: the count sent. */
async function steadyUploads(url: string, ingestKey: string, manifest: string, rate: number): Promise<{ stop: () => Promise<number> }> {
  const client = spawn(process.execPath, ["--import", "tsx", join(ROOT, "bench", "upload-client.ts"), url, manifest], {
    cwd: ROOT,
    stdio: ["pipe", "pipe", "inherit"],
    env: { ...process.env, KYSO_API_KEY: ingestKey, KYSO_UPLOAD_RATE: String(rate) },
  });
  children.add(client);
  const lines = createInterface({ input: client.stdout! });
  let ended: number | null = null;
  client.once("exit", (code) => (ended = code ?? 1));
  const said = (word: RegExp) =>
    new Promise<string>((done, fail) => {
      // a client already gone (an upload refused) says nothing more: failed, not waited for
      if (ended !== null && ended !== 0) return fail(new Error(`the upload client ended with ${ended}`));
      lines.on("line", (l) => word.test(l) && done(l));
      client.once("exit", (code) => code !== 0 && fail(new Error(`the upload client ended with ${code}`)));
    });
  await said(/^ready$/);
  client.stdin!.write("go\n");
  return {
    async stop() {
      const finished = said(/^done \d+$/);
      client.stdin!.write("stop\n");
      const n = Number((await finished).split(" ")[1]);
      children.delete(client);
      return n;
    },
  };
}

// ---- one stage ------------------------------------------------------------------------------------------------

type Figures = Record<string, number[] | number | string>;

async function measure(b: Backend, keys: { viewer: string; admin: string; ingest: string }, manifests: { warm: string; burst: string }): Promise<Figures> {
  const f: Figures = { load: loadavg()[0]! };
  const s = await startServer(b);
  try {
    f.readyMs = s.readyMs;
    log(`  /readyz after ${fmtInt(s.readyMs)} ms; waiting for the full check the server starts`);
    const t = performance.now();
    // the first full check runs on the second core right after start: waited for, so it weighs on no figure
    for (;;) {
      if (
        (await metric(s.url, keys.viewer, "kyso_store_full_check_timestamp_seconds")) > 0 &&
        (await metric(s.url, keys.viewer, "kyso_store_full_check_running")) === 0
      )
        break;
      if (performance.now() - t > 3_600_000) throw new Error("the server's full check did not finish in an hour");
      await new Promise((r) => setTimeout(r, 250));
    }
    const checkS = (performance.now() - t) / 1000;
    f.fullCheckS = checkS;
    const ok = await metric(s.url, keys.viewer, "kyso_store_full_check_ok");
    if (ok !== 1) throw new Error(`the server's full check of the bench store failed (kyso_store_full_check_ok ${ok}): ${s.stderr.join("\n")}`);
    log(`  full check ${checkS.toFixed(1)} s, held`);
    const periods = (await (await get(`${s.url}/api/v1/stats/periods`, keys.viewer)).json()) as { months: string[] };
    const [ly, lm] = (periods.months.at(-1) ?? "2025-12").split("-").map(Number) as [number, number];
    const all = { from: `${periods.months[0] ?? "2021-01"}-01`, to: new Date(Date.UTC(ly, lm, 0)).toISOString().slice(0, 10) };
    const api = (path: string) => `${s.url}/api/v1${path}`;
    const y = `from=${YEAR.from}&to=${YEAR.to}`;
    const a = `from=${all.from}&to=${all.to}`;
    // the rare recipient: the one enterprise of the directory (documents sent outside the administration)
    const rare =
      ((await (await get(api("/agencies"), keys.viewer)).json()) as { agencies: Agency[] }).agencies.find((x) => x.kind === "enterprise")?.code ?? "H53.99";
    const reads: Array<[string, string]> = [
      ["summaryYear", api(`/stats/summary?${y}`)],
      ["summaryAll", api(`/stats/summary?${a}`)],
      ["agenciesAll", api(`/stats/agencies?${a}`)],
      ["agenciesYear", api(`/stats/agencies?${y}`)],
      ["timeseries", api(`/stats/timeseries?${y}`)],
      ["next", api(`/stats/next?${y}`)],
      ["documents", api("/documents")],
      ["documentsQ", api(`/documents?q=${encodeURIComponent("hội nghị")}`)],
      ["documentsRare", api(`/documents?recipient=${rare}`)],
    ];
    for (const [k, u] of reads) {
      f[k] = await timeGets(u, keys.viewer);
      log(`  ${k.padEnd(14)} p95 ${fmtInt(q95(f[k] as number[]))} ms`);
    }
    const first = (await (await get(api("/documents"), keys.viewer)).json()) as { next: string | null };
    f.documentsPage2 = first.next ? await timeGets(api(`/documents?cursor=${first.next}`), keys.viewer) : "no second page";
    f.metrics = await timeGets(`${s.url}/metrics`, keys.viewer);
    await dashboardLoad(s.url, keys.viewer);
    const dash: number[] = [];
    for (let i = 0; i < RUNS; i++) dash.push(await dashboardLoad(s.url, keys.viewer));
    f.dashboard = dash;
    log(`  dashboard      p95 ${fmtInt(q95(dash))} ms; uploading`);
    await uploadBurst(s.url, keys.ingest, keys.viewer, manifests.warm, WARM);
    // the head an auditor verified before the day: the burst's entries are the day's (a directory change's,
    // tens of thousands of entries, come after the check, as a reorganisation is not a day's traffic)
    const headFile = join(b.dir, "head-before-day.jsonl");
    writeFileSync(headFile, timed(b, ["audit", "head"]).out);
    const burst = await uploadBurst(s.url, keys.ingest, keys.viewer, manifests.burst, BURST);
    f.ingestHttp = BURST / burst.seconds;
    f.ingestAnalysed = burst.analysed;
    log(`  uploads ${(BURST / burst.seconds).toFixed(0)}/s (${burst.analysed} of ${BURST} analysed)`);
    // the auditor's check since the head verified before the day (its uploads), while the server serves
    const since = await healthWhile(s.url, timedAsync(b, ["audit", "verify", "--since", headFile]));
    f.auditSinceS = since.value.seconds;
    f.auditSinceEntries = Number(/intact, (\d+) entries/.exec(since.value.out)?.[1] ?? NaN);
    log(
      `  kyso audit verify --since (a day's ${fmtInt(f.auditSinceEntries)} entries) ${since.value.seconds.toFixed(1)} s, /healthz max ${fmtInt(since.maxMs)} ms`,
    );
    const d = await directoryChange(s.url, keys.admin, keys.viewer);
    f.directoryPut = d.putMs;
    f.directoryWhat = d.merged ? "merge" : "merge undone";
    f.healthMax = d.healthMaxMs;
    f.directoryEntries = d.entries;
    log(
      `  directory change (${d.merged ? "merge" : "undone"}): PUT ${fmtInt(d.putMs)} ms, /healthz max ${fmtInt(d.healthMaxMs)} ms over ${d.polls} polls, ${fmtInt(d.entries)} log entries`,
    );
    // what the change left to the background (batches of derivations), /healthz polled until it is done
    const drain = await healthWhile(
      s.url,
      untilIdle(async () => (await metric(s.url, keys.viewer, "kyso_derivations_pending")) > 0),
    );
    f.derivationS = drain.value;
    f.healthDerivation = drain.maxMs;
    f.directoryEntries = (await metric(s.url, keys.viewer, "kyso_audit_entries")) - d.entriesBefore;
    log(
      `  its derivation in the background ${drain.value.toFixed(1)} s, /healthz max ${fmtInt(drain.maxMs)} ms; ${fmtInt(f.directoryEntries)} log entries in all`,
    );
    // the full audit while the server serves
    const audit = await healthWhile(s.url, timedAsync(b, ["audit", "verify"]));
    f.auditS = audit.value.seconds;
    f.auditRssMb = audit.value.rssMb;
    f.healthAudit = audit.maxMs;
    log(`  kyso audit verify ${audit.value.seconds.toFixed(1)} s, ${fmtInt(audit.value.rssMb)} MB, /healthz max ${fmtInt(audit.maxMs)} ms`);
    // a backup while documents keep arriving (UPLOAD_RATE a second, from another process); then the next
    // day's, into the same folder: only what is new copied
    const dest = join(b.dir, "backup-tmp");
    rmSync(dest, { recursive: true, force: true });
    try {
      const steady = await steadyUploads(s.url, keys.ingest, manifests.burst, UPLOAD_RATE);
      const first = await healthWhile(s.url, timedAsync(b, ["backup", dest]));
      f.backupUploads = await steady.stop();
      f.backupS = first.value.seconds;
      f.healthBackup = first.maxMs;
      log(`  kyso backup ${first.value.seconds.toFixed(1)} s with ${f.backupUploads} uploads arriving meanwhile, /healthz max ${fmtInt(first.maxMs)} ms`);
      while ((await metric(s.url, keys.viewer, "kyso_queue_depth")) > 0) await new Promise((r) => setTimeout(r, 50));
      const next = await timedAsync(b, ["backup", dest]);
      f.backup2S = next.seconds;
      log(`  the next backup into the same folder ${next.seconds.toFixed(1)} s (${((next.seconds / first.value.seconds) * 100).toFixed(0)}% of the first)`);
    } finally {
      rmSync(dest, { recursive: true, force: true });
    }
  } finally {
    f.serveRssMb = await stopServer(s);
  }
  return f;
}

// ---- the table --------------------------------------------------------------------------------------------------

const q = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(p * xs.length) - 1)]!;
const q95 = (xs: number[]) => q(xs, 0.95);

interface Row {
  label: string;
  /** what the figure measures, for the README */
  what: string;
  key: string;
  kind: "latency" | "ms" | "s" | "rate" | "mb" | "count";
  target: string;
  /** no growth column (the machine's load, the store's size) */
  flat?: boolean;
}

const ROWS: Row[] = [
  {
    label: "documents in the store",
    key: "storeDocuments",
    what: "at the stage's start: the fill, and the earlier stages' uploads",
    kind: "count",
    target: "2,500,000",
    flat: true,
  },
  {
    label: "machine load (1-minute average, 2 cores) at the stage's start",
    key: "load",
    what: "other work shares the machine's two cores: read every figure with it",
    kind: "s",
    target: "—",
    flat: true,
  },
  {
    label: `fill through the store's ports (documents/s)`,
    key: "fillRate",
    what: `the fill's pace over the N/20 documents before the stage (the PDF flushed, submitTo, the port's claim, settleAnalysis with its log entries; each step a transaction, ${FILL_CONCURRENCY.SQLite} documents at once on SQLite, ${FILL_CONCURRENCY.PostgreSQL} on PostgreSQL): the store's own cost per document as it grows`,
    kind: "rate",
    target: "—",
  },
  {
    label: "uploads through HTTP, accepted and analysed (/s)",
    key: "ingestHttp",
    what: "300 generated PDFs POSTed to /api/v1/documents (8 in flight, from another process) until kyso serve's runner (2 threads) has analysed them all, after 20 to warm up",
    kind: "rate",
    target: "at N as fast as at N/10",
  },
  { label: "`/stats/summary`, a year", key: "summaryYear", what: "the province figure for 2024", kind: "latency", target: "p95 ≤ 200 ms" },
  { label: "`/stats/summary`, all time", key: "summaryAll", what: "the province figure for 2021–2025", kind: "latency", target: "p95 ≤ 200 ms" },
  { label: "`/stats/agencies`, all time", key: "agenciesAll", what: "the per-agency table for 2021–2025", kind: "latency", target: "p95 ≤ 200 ms" },
  { label: "`/stats/agencies`, a year", key: "agenciesYear", what: "the per-agency table for 2024", kind: "latency", target: "p95 ≤ 200 ms" },
  { label: "`/stats/timeseries`, a year", key: "timeseries", what: "the monthly series of 2024", kind: "latency", target: "p95 ≤ 200 ms" },
  { label: "`/stats/next`, a year", key: "next", what: "the next steps for 2024", kind: "latency", target: "p95 ≤ 200 ms" },
  {
    label: "`GET /documents`, no filter",
    key: "documents",
    what: "the document list's first page (100, newest first)",
    kind: "latency",
    target: "p95 ≤ 200 ms",
  },
  {
    label: "`GET /documents?q=hội nghị`",
    key: "documentsQ",
    what: "words in the number or subject (one document in six has them)",
    kind: "latency",
    target: "p95 ≤ 200 ms",
  },
  {
    label: "`GET /documents?recipient=` (rare)",
    key: "documentsRare",
    what: "the documents sent to the directory's one enterprise (~1%)",
    kind: "latency",
    target: "p95 ≤ 200 ms",
  },
  {
    label: "`GET /documents`, second page (cursor)",
    key: "documentsPage2",
    what: "the list's next page, by its cursor",
    kind: "latency",
    target: "p95 ≤ 200 ms",
  },
  { label: "`/metrics` (viewer key)", key: "metrics", what: "a Prometheus scrape, figures included", kind: "latency", target: "p95 ≤ 100 ms" },
  {
    label: "dashboard first load (11 requests)",
    key: "dashboard",
    what: "as /dashboard opens: stats/periods, then its ten requests in parallel (summary, agencies, timeseries, directory gaps, last year's summary, next steps, the directory, documents by three bindings)",
    kind: "latency",
    target: "≤ 500 ms",
  },
  {
    label: "start-up to `/readyz` (database not cached)",
    key: "readyMs",
    what: "spawning kyso serve to /readyz answering 200, the database's pages dropped from the page cache first (the program's files cached)",
    kind: "ms",
    target: "≤ 10 s (cold cache)",
  },
  {
    label: "server's full check at start (s)",
    key: "fullCheckS",
    what: "the full check kyso serve starts on its second core, until /metrics says it held (waited for before the figures below)",
    kind: "s",
    target: "—",
  },
  {
    label: "directory change over ~20% (8 senders merged into one from 2023-07-01, or that undone)",
    key: "directoryWhat",
    what: "the change made at this stage",
    kind: "count",
    target: "—",
    flat: true,
  },
  {
    label: "the change's PUT /api/v1/agencies",
    key: "directoryPut",
    what: "the admin's PUT of the 8 agencies (up to 1,000 documents derived in the request, the rest queued)",
    kind: "ms",
    target: "—",
  },
  {
    label: "`/healthz` max during it",
    key: "healthMax",
    what: "the slowest /healthz answer (one after another, a new connection each) while the PUT runs",
    kind: "ms",
    target: "≤ 100 ms",
  },
  {
    label: "its derivation in the background (s)",
    key: "derivationS",
    what: "after the PUT, until /metrics says no derivation is pending (the walk, then steps sized to last 25 ms, each its own transaction)",
    kind: "s",
    target: "—",
  },
  {
    label: "`/healthz` max during the derivation",
    key: "healthDerivation",
    what: "the slowest /healthz answer while the background derivation runs",
    kind: "ms",
    target: "≤ 100 ms",
  },
  {
    label: "log entries the change appended",
    key: "directoryEntries",
    what: "the figures-change entries of the documents that moved, the PUT's and the background's",
    kind: "count",
    target: "—",
  },
  {
    label: "`kyso audit verify --since` a day (s)",
    key: "auditSinceS",
    what: "from the head `kyso audit head` gave before the stage's 300 uploads: the entries since (those uploads', before the directory change) and the documents they name, kyso serve running",
    kind: "s",
    target: "≤ 10 s",
  },
  { label: "entries it checked", key: "auditSinceEntries", what: "the entries since that head", kind: "count", target: "a day: ~1,400 at 2.5 million" },
  {
    label: "`kyso audit verify` (s)",
    key: "auditS",
    what: "the full check: the log's chain and every signed head (on the other core), the figures replayed, 64 PDFs re-hashed; kyso serve running",
    kind: "s",
    target: "—",
  },
  { label: "`kyso audit verify` peak RSS (MB)", key: "auditRssMb", what: "its peak resident memory (/usr/bin/time -v)", kind: "mb", target: "≤ 1 GB" },
  { label: "`/healthz` max during the audit", key: "healthAudit", what: "the slowest /healthz answer while it runs", kind: "ms", target: "≤ 100 ms" },
  {
    label: "`kyso backup` during ingest (s)",
    key: "backupS",
    what: `into an empty folder on the same disk while ${UPLOAD_RATE} uploads a second arrive: the database's snapshot (VACUUM INTO), the PDFs, the copy checked, every PDF re-hashed`,
    kind: "s",
    target: "completes",
  },
  { label: "uploads during the backup", key: "backupUploads", what: "documents uploaded while it ran (each accepted)", kind: "count", target: "—" },
  { label: "`/healthz` max during the backup", key: "healthBackup", what: "the slowest /healthz answer while it runs", kind: "ms", target: "≤ 100 ms" },
  {
    label: "the next backup into the same folder (s)",
    key: "backup2S",
    what: "after those uploads: a new snapshot, only the PDFs the folder lacks copied and checked",
    kind: "s",
    target: "≤ 10% of the first",
  },
  { label: "`kyso serve` peak RSS (MB)", key: "serveRssMb", what: "kyso serve's peak resident memory over the stage (VmHWM)", kind: "mb", target: "—" },
];

function cell(r: Row, v: Figures[string] | undefined): string {
  if (v === undefined) return "—";
  if (typeof v === "string") return v;
  if (Array.isArray(v)) return `${fmtInt(q(v, 0.5))} / ${fmtInt(q95(v))} ms`;
  if (r.kind === "s") return v.toFixed(1);
  if (r.kind === "ms") return `${fmtInt(v)} ms`;
  return fmtInt(v);
}

function headline(v: Figures[string] | undefined): number | null {
  if (v === undefined || typeof v === "string") return null;
  return Array.isArray(v) ? q95(v) : v;
}

function table(stages: Array<{ n: number; documents: number; f: Figures | null; earlier?: string }>): string {
  const names = ["N/10", "N/2", "N"];
  const lines = [
    `| figure (p50 / p95 over ${RUNS} requests) | what it measures | ${stages.map((s, i) => `${names[i]} = ${fmtInt(s.n)}${s.earlier ? ` (an earlier run, ${s.earlier.slice(0, 10)})` : ""}`).join(" | ")} | growth N/10 → N | target at 2.5 million |`,
    `|---|---|${stages.map(() => "---|").join("")}---|---|`,
  ];
  for (const r of ROWS) {
    const vals = stages.map((s) => (s.f ? s.f[r.key] : undefined));
    const a = headline(vals[0]);
    const z = headline(vals[vals.length - 1]);
    const growth = a && z && !r.flat ? `×${(z / a).toFixed(1)}` : "—";
    lines.push(`| ${r.label} | ${r.what} | ${vals.map((v) => cell(r, v)).join(" | ")} | ${growth} | ${r.target} |`);
  }
  return lines.join("\n");
}

// ---- main ---------------------------------------------------------------------------------------------------------

type Result = { n: number; documents: number; f: Figures | null; earlier?: string };

if (!existsSync(join(ROOT, "dist", "cli", "main.js"))) throw new Error("run npm run build first (kyso serve runs from dist/)");
mkdirSync(STORE, { recursive: true });
const chosen: Array<Backend["name"]> = CHOICE === "both" ? ["SQLite", "PostgreSQL"] : CHOICE === "postgres" ? ["PostgreSQL"] : ["SQLite"];
const filledBefore = (name: Backend["name"]) => readState(name).filled;
log(
  `bench/scale: N = ${fmtInt(N)} documents, stages ${STAGES.map(fmtInt).join(", ")}; store ${STORE}; ${chosen.map((c) => `${c} (${fmtInt(filledBefore(c))} filled so far)`).join(", ")}`,
);
if (!process.env.KYSO_BENCH_BACKEND && !hasPostgres)
  log("  PostgreSQL's programs (/usr/lib/postgresql/*/bin/initdb) are not installed: the embedded SQLite store alone is measured");
log(
  `  filled through the store's ports with kyso's own code (submitTo, the life-cycle port's claim, settleAnalysis with a real analysis of a pool document; blobs with BlobStore.putAsync), one transaction a step, ${FILL_CONCURRENCY.SQLite} documents at once on SQLite, ${FILL_CONCURRENCY.PostgreSQL} on PostgreSQL; see the header of bench/scale.ts`,
);

const work = join(STORE, "work");
rmSync(work, { recursive: true, force: true });
const pool = chosen.some((c) => filledBefore(c) < N) ? await makePool(join(work, "pool")) : new Map<string, PoolDoc[]>();
// the uploads: other generated documents, another seed each run (so other bytes than an earlier run's),
// and the run's mark in their numbers (so never the sender, number and date of an earlier run's upload)
const run = Date.now() % 1_000_000;
const uploads = generateSample(join(work, "uploads"), { documents: 3 * (BURST + WARM) + 200, seed: run + 7 })
  .filter((i) => i.file && i.meta.channel === "electronic")
  .map((i) => ({ ...i, meta: { ...i.meta, number: `${i.meta.number}-R${run.toString(36)}` } }));
const manifest = (name: string, items: SampleItem[]) => {
  const p = join(work, `${name}.json`);
  writeFileSync(p, JSON.stringify(items.map((i) => ({ path: join(work, "uploads", i.file!), meta: i.meta }))));
  return p;
};

/** The store of one backend: made or grown to each stage, and measured there. */
async function benchOn(b: Backend): Promise<Result[]> {
  const state = readState(b.name);
  log(`${b.name}: ${fmtInt(state.filled)} documents filled so far`);
  let store = await openStore(b.data, b.databaseUrl);
  if ((await store.readModel.agencies()).length === 0) await updateDirectoryOn(store.lifecycle, agenciesFromCsv(readFileSync(AGENCIES_CSV, "utf8")), "bench");
  const senders = (await store.readModel.agencies())
    .filter((a) => a.kind === "administrative" && (state.filled >= N || pool.get(a.code)?.length))
    .map((a) => a.code);
  const filling: Fill = { lifecycle: store.lifecycle, senders, pool };
  if (state.filled < N) {
    const resumed = await resumeFill(filling);
    if (resumed) log(`  ${fmtInt(resumed)} documents a stopped run left queued or claimed: settled`);
  }
  const waiting = (await store.operations.documentCounts()).filter((c) => c.status === "queued" || c.status === "processing");
  if (waiting.length > 0) throw new Error(`the ${b.name} store at ${b.dir} has documents waiting for analysis: run kyso serve on it until they are done`);
  await store.close();
  const keys = { viewer: createKey(b, "viewer"), admin: createKey(b, "admin"), ingest: createKey(b, "ingest") };

  const results: Result[] = [];
  for (const [k, target] of STAGES.entries()) {
    if (state.filled > target) {
      const saved = state.stages?.[String(target)];
      log(
        `stage ${fmtInt(target)}: the store already holds ${fmtInt(state.filled)} filled documents: not measured again${saved ? ` (the figures of ${saved.at} shown)` : ""}`,
      );
      results.push({ n: target, documents: state.filled, f: saved?.figures ?? null, ...(saved ? { earlier: saved.at } : {}) });
      continue;
    }
    store = await openStore(b.data, b.databaseUrl);
    if (state.filled < target) {
      const marks = await fill(b, state, target, { ...filling, lifecycle: store.lifecycle });
      const rate = rateBefore(marks, target, Math.max(BATCH, Math.round(N / 20)));
      if (rate !== null) state.fillRates[String(target)] = rate;
      writeState(b, state);
    }
    const documents = (await store.operations.documentCounts()).reduce((a, c) => a + c.n, 0);
    await store;
    log(`stage ${fmtInt(target)} on ${b.name}: ${fmtInt(documents)} documents in the store`);
    const f = await measure(b, keys, {
      warm: manifest(`warm-${k}`, uploads.slice(k * (BURST + WARM), k * (BURST + WARM) + WARM)),
      burst: manifest(`burst-${k}`, uploads.slice(k * (BURST + WARM) + WARM, (k + 1) * (BURST + WARM))),
    });
    const fr = state.fillRates[String(target)];
    if (fr !== undefined) f.fillRate = fr;
    f.storeDocuments = documents;
    state.stages = { ...state.stages, [String(target)]: { at: new Date().toISOString(), figures: f } };
    writeState(b, state);
    results.push({ n: target, documents, f });
  }
  return results;
}

const done: Array<{ b: Backend; results: Result[] }> = [];
let failed = false;
for (const name of chosen) {
  const b = name === "SQLite" ? sqliteBackend() : await postgresBackend();
  try {
    done.push({ b, results: await benchOn(b) });
  } catch (e) {
    // the other backend is measured all the same; the run fails at the end
    log(`${name}: ${(e as Error).stack ?? e}`);
    failed = true;
  } finally {
    b.close();
  }
}
rmSync(work, { recursive: true, force: true });

console.log(`\nbench/scale, N = ${fmtInt(N)}: ${cpus().length} cores (${cpus()[0]?.model ?? "?"}), Node ${process.version}`);
console.log(`The store: each document distinct (sender of the sample directory, number, issue date spread over 2021–2025, bytes), submitted and its real`);
console.log(`analysis (of a pool of generated sample-province PDFs, with its own sha256, size and receipt) settled through the store's life-cycle port`);
console.log(
  `with its log entries, one transaction a step (${FILL_CONCURRENCY.SQLite} documents at once on SQLite, ${FILL_CONCURRENCY.PostgreSQL} on PostgreSQL); plus ${BURST + WARM} real uploads through HTTP at each stage.`,
);
console.log(
  `"a year" is 2024; "all time" 2021–2025. Figures through kyso serve with a viewer key, one request after another (the dashboard's in parallel, as the page).`,
);
for (const { b, results } of done) {
  console.log(
    `\n### ${b.name}${b.name === "PostgreSQL" ? " (a cluster of the bench's own, PostgreSQL's default durability; KYSO_DATABASE_URL)" : " (embedded, the default)"}\n`,
  );
  console.log(`Stages hold ${results.map((r) => fmtInt(r.documents)).join(", ")} documents. Start-up without the database cached: ${b.uncached}.\n`);
  console.log(table(results));
}
if (failed) console.log(`\nA backend's run failed (${chosen.filter((c) => !done.some((d) => d.b.name === c)).join(", ")}): see above.`);
process.exit(failed ? 1 : 0);
