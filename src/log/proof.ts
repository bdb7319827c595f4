// What the log proves and how a proof is shaped, whichever backend made it: that an entry is in the tree
// of a signed head (inclusion), and that a later signed head extends an earlier one unchanged
// (consistency). Hashes are hex; each head carries the public key that signed it.
import type { AuditEntry } from "./entry.js";
import type { KeptHead } from "./signed-history.js";

/** A proof asked of a log that cannot give it (no such entry, no signed head there). */
export class ProofError extends Error {}

export interface InclusionProof {
  inclusion: { entry: AuditEntry; index: number; size: number; root: string; path: string[] };
  head: KeptHead & { publicKey: string };
}

export interface ConsistencyProof {
  consistency: { first: KeptHead & { publicKey: string }; second: KeptHead & { publicKey: string }; path: string[] };
}

/** Several entries proven in the tree of one signed head (an evidence archive's log-proofs.json). */
export interface EntryProofs {
  head: KeptHead & { publicKey: string };
  proofs: Array<{ seq: number; path: string[] }>;
}
