// Analyzes everything queued in a store in this process, with a progress bar (kyso scan, kyso reverify).
import { EmbeddedRunner } from "../queue/embedded-runner.js";
import { ask, type TxScript } from "../store/document-tx.js";
import type { CompliancePolicy } from "../compliance/index.js";
import type { BlobPort, LifecycleStore } from "../store/ports.js";
import { Progress } from "./progress.js";

function* recordedPolicy(): TxScript<CompliancePolicy> {
  return yield* ask("policy");
}

export async function analyzeQueued(store: LifecycleStore, blobs: BlobPort, out: NodeJS.WritableStream, trustDirs: string[]): Promise<void> {
  // not closed here: the store is the caller's
  const queued = await store.queueDepth();
  if (queued === 0) return;
  const runner = new EmbeddedRunner(store, blobs, {
    concurrency: 2,
    maxAttempts: 3,
    timeoutMs: 10_000,
    // the store's recorded policy, which its replay derives with (a command does not change it: the server's start does)
    policy: await store.run(recordedPolicy),
    analysis: { trustDirs, text: true },
  });
  const p = new Progress(out, "analyzing", queued);
  const timer = setInterval(
    () =>
      void store.queueDepth().then(
        (n) => p.set(queued - n),
        () => undefined,
      ),
    250,
  );
  runner.start();
  await runner.idle();
  clearInterval(timer);
  p.set(queued);
  p.done();
  await runner.stop();
}
