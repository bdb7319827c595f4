// The log's signed heads verified on the machine's other cores while the walk goes on (log/head-verifier.ts).
// A full check of five years of log spends most of its time in one Ed25519 verification per entry; these
// do not depend on one another, so batches of them go to worker threads and the walk, hashing entries and
// replaying the figures, asks for the answer once. The answer comes back through shared memory, so asking
// for it needs no turn of the event loop and a synchronous check (the embedded store's) can wait for it.
// A short log is verified where it stands: no thread is started for it.
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { threadPath } from "../../threads.js";
import { inlineHeads, type HeadVerifier } from "../../log/head-verifier.js";
import type { HeadBatch } from "./head-thread.js";

export interface ThreadedHeads extends HeadVerifier {
  /** threads started (0 while the log was short enough to verify in place) */
  readonly threads: number;
  close(): Promise<void>;
}

export interface HeadThreadOptions {
  /** threads at most; 0 verifies every head in place (default KYSO_CHECK_THREADS, else one less than the machine's cores, at least one) */
  threads?: number;
  /** heads verified in place before any thread starts (default 5,000: a start costs more than that many) */
  inPlace?: number;
  /** heads a batch (default 2,000) */
  batch?: number;
  /** how long settle() waits without a batch finishing before it gives up (default 10 minutes) */
  stallMs?: number;
}

const NONE = BigInt(Number.MAX_SAFE_INTEGER);

const threadFile = (): string => threadPath("head-thread", "store/check");

/** KYSO_CHECK_THREADS: how many threads a full check may give the signatures (0: none, the check on one core). */
function threadsFromEnv(): number {
  const v = process.env.KYSO_CHECK_THREADS;
  if (v === undefined || v === "") return Math.max(1, availableParallelism() - 1);
  if (!/^\d+$/.test(v)) throw new Error(`KYSO_CHECK_THREADS must be a whole number of threads (0 for none), not '${v}'`);
  return Number(v);
}

export function threadedHeads(o: HeadThreadOptions = {}): ThreadedHeads {
  const most = o.threads ?? threadsFromEnv();
  const inPlace = most === 0 ? Infinity : (o.inPlace ?? 5000);
  const size = o.batch ?? 2000;
  const stallMs = o.stallMs ?? 600_000;
  const here = inlineHeads();
  const shared = new SharedArrayBuffer(16);
  const done = new Int32Array(shared, 0, 1);
  const lowest = new BigInt64Array(shared, 8, 1);
  lowest[0] = NONE;
  const workers: Worker[] = [];
  let seen = 0;
  let posted = 0;
  let batch: HeadBatch = { seqs: [], keys: [], roots: [], sigs: [] };

  const post = () => {
    if (!batch.seqs.length) return;
    if (workers.length < most) {
      const w = new Worker(threadFile(), { workerData: { shared } });
      // a thread that fails leaves its batch unanswered: settle() names the stall
      w.on("error", () => undefined);
      w.unref();
      workers.push(w);
    }
    workers[posted % workers.length]!.postMessage(batch);
    posted++;
    batch = { seqs: [], keys: [], roots: [], sigs: [] };
  };

  return {
    get threads() {
      return workers.length;
    },
    check(seq, publicKey, root, sig) {
      if (seen++ < inPlace) return here.check(seq, publicKey, root, sig);
      batch.seqs.push(seq);
      batch.keys.push(publicKey);
      batch.roots.push(root);
      batch.sigs.push(sig);
      if (batch.seqs.length >= size) post();
      return undefined;
    },
    settle() {
      post();
      let last = Atomics.load(done, 0);
      let since = performance.now();
      while (last < posted) {
        Atomics.wait(done, 0, last, 1000);
        const now = Atomics.load(done, 0);
        if (now !== last) [last, since] = [now, performance.now()];
        else if (performance.now() - since > stallMs)
          throw new Error(`the threads verifying the log's signed heads stopped answering (${posted - last} batches of ${posted} unanswered)`);
      }
      const low = Atomics.load(lowest, 0);
      return low === NONE ? null : Number(low);
    },
    async close() {
      await Promise.all(workers.splice(0).map((w) => w.terminate()));
    },
  };
}
