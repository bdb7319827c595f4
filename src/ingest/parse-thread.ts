// Runs a parser in a worker thread, off the caller's event loop: one job at a time, a time limit and a
// heap limit per job; a job that overruns ends its thread and the next one gets a fresh thread. The HTTP
// routes use it for edXML messages and registers, so /healthz keeps answering while hostile input is read.
import { Worker } from "node:worker_threads";

/** What a thread answers: the result, or a refusal (tooLarge: over a limit rather than malformed). */
export type ThreadAnswer<T> = { id: number; ok: true; result: T } | { id: number; ok: false; tooLarge: boolean; message: string; code?: string };

export { threadPath } from "../threads.js";

export interface ThreadOptions {
  /** per job, milliseconds */
  timeoutMs: number;
  /** the thread's V8 heap, MB (buffers live outside it) */
  maxHeapMb: number;
}

export class ParseThread<J extends object, T> {
  private worker: Worker | null = null;
  private nextId = 1;
  private chain: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly path: string,
    private readonly o: ThreadOptions,
    /** the caller's error for a refusal */
    private readonly refuse: (message: string, tooLarge: boolean, code?: string) => Error,
  ) {}

  run(job: J, transfer: ArrayBuffer[] = []): Promise<T> {
    const p = this.chain.then(() => this.once(job, transfer));
    this.chain = p.catch(() => undefined);
    return p;
  }

  private once(job: J, transfer: ArrayBuffer[]): Promise<T> {
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
      const onMessage = (r: ThreadAnswer<T>): void => {
        if (r.id !== id) return;
        finish(false);
        if (r.ok) resolve(r.result);
        else reject(this.refuse(r.message, r.tooLarge, r.code));
      };
      const onError = (e: Error): void => {
        finish(true);
        // the thread's heap limit ended it: Node says so by code
        const memory = (e as NodeJS.ErrnoException).code === "ERR_WORKER_OUT_OF_MEMORY";
        reject(this.refuse(memory ? "the input needs more memory than one may use" : `the input cannot be read: ${e.message}`, memory));
      };
      const onExit = (): void => {
        finish(true);
        reject(this.refuse("the input could not be parsed (the parser stopped)", false));
      };
      const timer = setTimeout(() => {
        finish(true);
        reject(this.refuse(`the input took more than ${this.o.timeoutMs} ms to parse`, true));
      }, this.o.timeoutMs);
      worker.on("message", onMessage);
      worker.on("error", onError);
      worker.on("exit", onExit);
      worker.postMessage({ ...job, id }, transfer);
    });
  }

  private spawn(): Worker {
    const w = new Worker(this.path, { resourceLimits: { maxOldGenerationSizeMb: this.o.maxHeapMb, stackSizeMb: 8 } });
    w.unref();
    return w;
  }

  async close(): Promise<void> {
    const w = this.worker;
    this.worker = null;
    if (w) await w.terminate();
  }
}
