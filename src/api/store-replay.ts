// The full check of the store (every log entry's content and signed head, the figures replayed from the
// log) in the background: once after start and then daily, on its own thread and connection (either backend), so
// a store rewritten while the server was stopped in a way the start-up check cannot see (an edited report,
// a category set by hand) still turns /readyz and kyso_store_intact to "not intact" within a day. An
// auditor's full check on request is the same check (one at a time: a request while one runs joins it), so
// its progress is the one /readyz, /metrics and the auditors' page show.
import { existsSync } from "node:fs";
import { now } from "../clock.js";
import { ParseThread, threadPath } from "../ingest/parse-thread.js";
import { sharedProgress, type ProgressState } from "../store/check/progress.js";
import { describeBroken, type StoreCheck } from "../store/check/store-check.js";
import type { StoreLocation } from "../store/location.js";
import { keptHeadsIn } from "../store/sqlite/heads.js";
import type { StoreCheckJob } from "./store-check-thread.js";
import type { VerifiedHead } from "./verified-head.js";

export interface ReplayResult {
  /** when the check finished */
  at: Date;
  ok: boolean;
  /** what failed (null when it held) */
  problem: string | null;
  entries: number;
  seconds: number;
}

/** A full check asked for: its number (1, 2, … since the server started) and its answer to come. */
export interface FullCheckRequest {
  run: number;
  /** the check's answer; rejected when it could not run (a thread that died, a timeout) */
  done: Promise<StoreCheck>;
}

export class BackgroundReplay {
  private readonly thread: ParseThread<Omit<StoreCheckJob, "id">, StoreCheck>;
  private timer: NodeJS.Timeout | null = null;
  private running: FullCheckRequest | null = null;
  private runs = 0;
  private stopped = false;
  last: ReplayResult | null = null;
  /** the last check's whole answer and its run's number (what the auditors' page shows of a finished check) */
  lastCheck: { run: number; result: StoreCheck } | null = null;
  /** why the last attempt could not run at all (a thread that died, a timeout): said on /metrics */
  error: string | null = null;
  /** how far the running check has gone */
  private progress: ReturnType<typeof sharedProgress> | null = null;

  private readonly store: StoreLocation;

  constructor(
    /** the store checked: where it is (a database file alone is the embedded store's) */
    store: StoreLocation | string,
    private readonly headsFile: string | null,
    private readonly everyMs = 24 * 3600_000,
    private readonly clock: () => Date = now,
    /** where a check that held leaves the head it verified (GET /api/v1/audit/verify starts from it) */
    private readonly verified: VerifiedHead | null = null,
  ) {
    this.store = typeof store === "string" ? { kind: "sqlite", file: store } : store;
    this.thread = new ParseThread(threadPath("store-check-thread", "api"), { timeoutMs: 6 * 3600_000, maxHeapMb: 4096 }, (m) => new Error(m));
  }

  start(): void {
    void this.run();
    this.timer = setInterval(() => void this.run(), this.everyMs);
    this.timer.unref();
  }

  /** Runs the check now (one at a time: a call while one runs waits for it); a failure is reported, not thrown. */
  run(): Promise<void> {
    return this.request().done.then(
      () => undefined,
      () => undefined,
    );
  }

  /** Starts the check unless one runs, which is joined: it began before this call, and its answer says which head it covered. */
  request(): FullCheckRequest {
    if (this.running) return this.running;
    const run = ++this.runs;
    const done = this.once(run).finally(() => {
      this.running = null;
    });
    done.catch(() => undefined); // told on stderr and in state(); a caller that waits gets the rejection
    this.running = { run, done };
    return this.running;
  }

  private async once(run: number): Promise<StoreCheck> {
    const t = performance.now();
    try {
      // heads read before the thread's snapshot begins: the snapshot holds every entry they cover
      const kept = this.headsFile && existsSync(this.headsFile) ? keptHeadsIn([this.headsFile]) : [];
      const started = this.verified?.started();
      const progress = (this.progress = sharedProgress());
      const r = await this.thread.run({ store: this.store, trusted: { kept }, progress: progress.buffer });
      this.last = { at: this.clock(), ok: r.ok, problem: r.ok ? null : describeBroken(r), entries: r.entries, seconds: (performance.now() - t) / 1000 };
      this.lastCheck = { run, result: r };
      this.verified?.note(r, true, this.last.at, started);
      this.error = null;
      if (this.last.problem) process.stderr.write(`kyso: THE STORE DOES NOT CHECK OUT (full check): ${this.last.problem} (run kyso audit verify)\n`);
      return r;
    } catch (e) {
      // a thread ended by stop() has nothing to report
      if (!this.stopped) {
        this.error = (e as Error).message;
        process.stderr.write(`kyso: the full store check could not run: ${this.error}\n`);
      }
      throw e;
    }
  }

  /** The number of the check running or last started (0: none yet). */
  get latestRun(): number {
    return this.runs;
  }

  /** Where the full check stands, for /readyz. */
  state(): {
    state: "not run yet" | "running" | "held" | "failed" | "could not run";
    at?: string;
    entries?: number;
    seconds?: number;
    progress?: ProgressState;
  } {
    const l = this.last;
    const done = l ? { at: l.at.toISOString(), entries: l.entries, seconds: Math.round(l.seconds) } : {};
    if (this.running) {
      const p = this.progress?.read();
      return { state: "running", ...(p ? { progress: p } : {}) };
    }
    if (this.error) return { state: "could not run" };
    return l ? { state: l.ok ? "held" : "failed", ...done } : { state: "not run yet" };
  }

  /** The last full check's failure, or null (none yet, or it held). */
  problem(): string | null {
    return this.last?.problem ? `full check: ${this.last.problem}` : null;
  }

  metrics(): string {
    const l = this.last;
    return (
      [
        "# HELP kyso_store_full_check_ok 1 when the last full check of the store (every entry, the figures replayed) held, 0 when it did not, -1 before the first.",
        "# TYPE kyso_store_full_check_ok gauge",
        `kyso_store_full_check_ok ${l ? (l.ok ? 1 : 0) : -1}`,
        "# HELP kyso_store_full_check_timestamp_seconds When the last full check finished (Unix time).",
        "# TYPE kyso_store_full_check_timestamp_seconds gauge",
        `kyso_store_full_check_timestamp_seconds ${l ? Math.floor(l.at.getTime() / 1000) : 0}`,
        "# HELP kyso_store_full_check_running 1 while the full check runs.",
        "# TYPE kyso_store_full_check_running gauge",
        `kyso_store_full_check_running ${this.running ? 1 : 0}`,
        "# HELP kyso_store_full_check_progress How far the running full check has gone in each part: the log's entries walked, then the documents replayed (0 to 1).",
        "# TYPE kyso_store_full_check_progress gauge",
        ...(["log", "figures"] as const).map((part) => `kyso_store_full_check_progress{part="${part}"} ${this.fraction(part)}`),
        "# HELP kyso_store_full_check_failing 1 when the last full check could not run at all (see the server's log).",
        "# TYPE kyso_store_full_check_failing gauge",
        `kyso_store_full_check_failing ${this.error ? 1 : 0}`,
      ].join("\n") + "\n"
    );
  }

  /** A part's share done: 1 once the check is past it or none runs, else its done of its total. */
  private fraction(part: ProgressState["part"]): number {
    const p = this.running ? this.progress?.read() : null;
    if (!p) return this.running ? 0 : 1;
    if (p.part !== part) return part === "log" ? 1 : 0;
    return p.total > 0 ? Math.min(1, p.done / p.total) : 0;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.thread.close();
  }
}
