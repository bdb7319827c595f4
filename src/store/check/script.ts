// The check written once, as a script that asks its reads of a CheckSource one at a time (as a life-cycle
// step asks its document-tx operations): the embedded store answers at once, so `kyso audit verify` and the
// tests keep a synchronous check there; PostgreSQL answers later and the script awaits each answer.
import type { CheckSource } from "../ports.js";

type Reads = Omit<CheckSource, "snapshot" | "close">;

/** A CheckSource answering at once (the embedded store). */
export type CheckReads = { [K in keyof Reads]: (...a: Parameters<Reads[K]>) => Awaited<ReturnType<Reads[K]>> };

export type CheckOp = { [K in keyof Reads]: { op: K; args: Parameters<Reads[K]> } }[keyof Reads];

/** A check's script: it yields the reads it needs and receives their answers. */
export type CheckScript<T> = Generator<CheckOp, T, unknown>;

/** Asks the store for one read (`yield* read("entries", 0, 1000)`). */
export function* read<K extends keyof Reads>(op: K, ...args: Parameters<Reads[K]>): Generator<CheckOp, Awaited<ReturnType<Reads[K]>>, unknown> {
  return (yield { op, args } as CheckOp) as Awaited<ReturnType<Reads[K]>>;
}

/** Runs a script against the embedded store's reads. */
export function runCheck<T>(reads: CheckReads, script: CheckScript<T>): T {
  let step = script.next();
  while (!step.done) {
    const o = step.value;
    step = script.next((reads[o.op] as (...a: unknown[]) => unknown)(...o.args));
  }
  return step.value;
}

/** Runs a script against a source that answers later. */
export async function runCheckAsync<T>(source: CheckSource, script: CheckScript<T>): Promise<T> {
  let step = script.next();
  while (!step.done) {
    const o = step.value;
    step = script.next(await (source[o.op] as (...a: unknown[]) => Promise<unknown>)(...o.args));
  }
  return step.value;
}

/** The embedded store's reads as the port: each answer a settled promise. */
export function asyncReads(reads: CheckReads): Reads {
  return Object.fromEntries(
    Object.entries(reads).map(([k, f]) => [k, async (...a: unknown[]) => (f as (...a: unknown[]) => unknown)(...a)]),
  ) as unknown as Reads;
}
