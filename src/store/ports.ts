// The store's ports, named by what they keep, with no connection or transaction type in them (DESIGN.md
// §3): each backend (store/sqlite, the embedded default; store/postgres, for provinces that run it)
// implements them, and one contract suite (tests/store/contract) holds both to the same behaviour.
// Asynchronous because a database across a network answers later; the embedded one answers at once.
import type { AuditEntry } from "../log/entry.js";
import type { AuditInput } from "../log/input.js";
import type { ConsistencyProof, InclusionProof } from "../log/proof.js";

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
