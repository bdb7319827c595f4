// Worker-thread side of head-threads.ts: verifies a batch of tree-head signatures and says, through memory
// shared with the walk, that the batch is done and the lowest entry whose signature failed.
import { parentPort, workerData } from "node:worker_threads";
import { headMessage, verifySignature } from "../../log/key.js";

export interface HeadBatch {
  seqs: number[];
  keys: string[];
  roots: string[];
  sigs: string[];
}

const done = new Int32Array(workerData.shared as SharedArrayBuffer, 0, 1);
const lowest = new BigInt64Array(workerData.shared as SharedArrayBuffer, 8, 1);

function lower(seq: number): void {
  const want = BigInt(seq);
  for (let now = Atomics.load(lowest, 0); want < now; now = Atomics.load(lowest, 0)) if (Atomics.compareExchange(lowest, 0, now, want) === now) return;
}

parentPort?.on("message", (b: HeadBatch) => {
  // a batch is in the log's order: its first failure is its lowest
  for (let i = 0; i < b.seqs.length; i++) {
    if (!verifySignature(b.keys[i]!, headMessage(b.seqs[i]!, b.roots[i]!), b.sigs[i]!)) {
      lower(b.seqs[i]!);
      break;
    }
  }
  Atomics.add(done, 0, 1);
  Atomics.notify(done, 0);
});
