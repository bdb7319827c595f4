// Parses edXML messages off the caller's event loop: one worker thread at a time, a time limit and a heap
// limit per message (a message that overruns ends its thread; the next one gets a fresh thread). The
// HTTP route uses it, so /healthz keeps answering while a hostile message is parsed.
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { DEFAULT_LIMITS, EdxmlError, type EdxmlLimits, type EdxmlMessage } from "./edxml.js";
import type { ParseJob, ParseResult } from "./edxml-thread.js";

function threadPath(): string {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith(".js")) return join(dirname(here), "edxml-thread.js");
  // from TypeScript sources (tests): the compiled thread
  const built = join(dirname(here), "..", "..", "dist", "ingest", "edxml-thread.js");
  if (!existsSync(built)) throw new Error(`compiled edXML thread not found at ${built}: run 'npm run build' first`);
  return built;
}

export interface ParserOptions {
  limits: EdxmlLimits;
  /** per message, milliseconds */
  timeoutMs: number;
  /** the thread's V8 heap, MB (decoded files live outside it) */
  maxHeapMb: number;
}

export class EdxmlParser {
  private worker: Worker | null = null;
  private nextId = 1;
  /** one message at a time: a queue of waiting parses */
  private chain: Promise<unknown> = Promise.resolve();
  private readonly o: ParserOptions;

  constructor(o: Partial<ParserOptions> = {}) {
    this.o = { limits: DEFAULT_LIMITS, timeoutMs: 5_000, maxHeapMb: 384, ...o };
  }

  /** The parsed message, or an EdxmlError (too large, malformed, or over the time limit). */
  parse(xml: Uint8Array): Promise<EdxmlMessage> {
    const run = this.chain.then(() => this.run(xml));
    this.chain = run.catch(() => undefined);
    return run;
  }

  private run(xml: Uint8Array): Promise<EdxmlMessage> {
    const worker = (this.worker ??= this.spawn());
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const finish = (restart: boolean): void => {
        clearTimeout(timer);
        worker.off("message", onMessage);
        worker.off("error", onError);
        worker.off("exit", onExit);
        if (restart) {
          void worker.terminate();
          if (this.worker === worker) this.worker = null;
        }
      };
      const onMessage = (r: ParseResult): void => {
        if (r.id !== id) return;
        finish(false);
        if (r.ok) resolve(r.message);
        else reject(new EdxmlError(r.message, r.tooLarge));
      };
      const onError = (e: Error): void => {
        finish(true);
        reject(new EdxmlError(/memory/i.test(e.message) ? "the message needs more memory than a message may use" : `the message cannot be read: ${e.message}`, /memory/i.test(e.message)));
      };
      const onExit = (): void => {
        finish(true);
        reject(new EdxmlError("the message could not be parsed (the parser stopped)"));
      };
      const timer = setTimeout(() => {
        finish(true);
        reject(new EdxmlError(`the message took more than ${this.o.timeoutMs} ms to parse`, true));
      }, this.o.timeoutMs);
      worker.on("message", onMessage);
      worker.on("error", onError);
      worker.on("exit", onExit);
      worker.postMessage({ id, xml, limits: this.o.limits } satisfies ParseJob);
    });
  }

  private spawn(): Worker {
    const w = new Worker(threadPath(), { resourceLimits: { maxOldGenerationSizeMb: this.o.maxHeapMb, stackSizeMb: 8 } });
    w.unref();
    return w;
  }

  async close(): Promise<void> {
    const w = this.worker;
    this.worker = null;
    if (w) await w.terminate();
  }
}
