// The store's ports, named by what they keep, with no connection or transaction type in them (DESIGN.md
// §3): each backend (store/sqlite, the embedded default; store/postgres, for provinces that run it)
// implements them, and one contract suite (tests/store/contract) holds both to the same behaviour.
// Asynchronous because a database across a network answers later; the embedded one answers at once.
import type { AuditEntry } from "../log/entry.js";
import type { AuditInput } from "../log/input.js";
import type { ConsistencyProof, InclusionProof } from "../log/proof.js";
import type { DocumentRow } from "./rows.js";

/** The verification log: appended in order, one chain whichever node writes, proven from its signed heads. */
export interface LogPort {
  /** Appends the entries in order, in one commit: all are in the log afterwards, or none. */
  append(inputs: readonly AuditInput[], at?: Date): Promise<AuditEntry[]>;
  /** The newest entry's number and hash (0 and the genesis hash for an empty log). */
  head(): Promise<{ seq: number; hash: string }>;
  /** Up to `limit` entries after entry `afterSeq`, in log order. */
  entries(afterSeq: number, limit: number): Promise<AuditEntry[]>;
  /** That entry `seq` is in the tree of the log's first `size` entries (default: the whole log). */
  proveInclusion(seq: number, size?: number): Promise<InclusionProof>;
  /** That the log's first `second` entries (default: all) extend its first `first` unchanged. */
  proveConsistency(first: number, second?: number): Promise<ConsistencyProof>;
  close(): Promise<void>;
}

/**
 * The life-cycle store, its queue so far: documents waiting for analysis are claimed one at a time by
 * whichever node asks, never two nodes the same one, and a claim whose node died returns to the queue.
 */
export interface LifecycleStore {
  /** The oldest queued document, now `processing` and held by `node` until the lease ends; undefined when none waits. */
  claim(node: string, leaseMs: number, now?: Date): Promise<DocumentRow | undefined>;
  /** Documents a node took and did not settle go back to the queue (a settled one stays as it is). */
  requeue(ids: readonly string[]): Promise<void>;
  /** Claims whose lease ended before `now` (their node stopped) go back to the queue; how many. */
  reclaimExpired(now?: Date): Promise<number>;
  /** Documents queued or being analysed. */
  queueDepth(): Promise<number>;
  close(): Promise<void>;
}
