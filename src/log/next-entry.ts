// The next entry of the log, decided without a database: its number and link from the head, its hash,
// the tree head it makes (the frontier grows by its leaf) and that head's signature. A backend reads the
// head and frontier under its lock, calls this, and writes what it returns in the change's own commit.
import { GENESIS, hashWithDetails, canonicalJson } from "./chain.js";
import type { AuditEntry } from "./entry.js";
import type { AuditInput } from "./input.js";
import { headMessage, type LogKey } from "./key.js";
import { leafHash, type Frontier, type Hash } from "./merkle.js";

export interface NextEntry {
  entry: AuditEntry;
  /** the details as the hash covers them (canonical JSON): what the backend stores */
  detailsText: string;
  /** the perfect subtrees this entry completes (proofs read them) */
  subtrees: Array<{ lo: number; height: number; hash: Hash }>;
}

/** The entry after `head`, appended to `frontier` (which it changes: the frontier after this entry). */
export function nextEntry(head: { seq: number; hash: string } | undefined, frontier: Frontier, key: LogKey, input: AuditInput, at: Date): NextEntry {
  const detailsText = canonicalJson(input.details);
  const body = {
    seq: (head?.seq ?? 0) + 1,
    at: at.toISOString(),
    actor: input.actor,
    action: input.action,
    subject: input.subject,
    documentId: input.documentId ?? null,
    agency: input.agency ?? null,
    engine: input.engine ?? null,
    trustStore: input.trustStore ?? null,
    prev: head?.hash ?? GENESIS,
  };
  if (frontier.size !== body.seq - 1) throw new Error(`the log's frontier covers ${frontier.size} entries, its head is entry ${body.seq - 1}`);
  const hash = hashWithDetails(body, detailsText);
  const subtrees = frontier.append(leafHash(hash));
  const root = frontier.root().toString("hex");
  return { entry: { ...body, details: input.details, hash, root, keyId: key.keyId, sig: key.sign(headMessage(body.seq, root)) }, detailsText, subtrees };
}

/** The entry that records a signing key the log does not know yet (`previous`: the key before it, if any). */
export const keyEntry = (key: LogKey, previous: string | null): AuditInput => ({
  actor: "system",
  action: "log-key",
  subject: `log key ${key.keyId}`,
  details: { keyId: key.keyId, publicKey: key.publicKey, previous, endorsement: null },
});
