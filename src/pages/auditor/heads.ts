// The log heads an auditor's browser keeps (no DOM): the next check asks the server to prove its log still
// holds the latest one seen, and a new head is kept only when the log has grown past it.

export interface Head {
  seq: number;
  hash: string;
  at: string;
}

/**
 * The check's query: by default from the server's last verified head (the server says which it ran), the
 * whole store with `full`; with a head seen before, its entry and hash.
 */
export const verifyQuery = (kept: Head | undefined, full = false): string => {
  const parts = [...(full ? ["full=true"] : []), ...(kept ? ["seq=" + kept.seq, "hash=" + kept.hash] : [])];
  return parts.length ? "?" + parts.join("&") : "";
};

/** The head to keep after an intact check, or null: an empty log, or the head already kept. */
export function headToKeep(kept: Head | undefined, head: { seq: number; hash: string }, at: string): Head | null {
  return head.seq > 0 && (!kept || kept.seq !== head.seq) ? { seq: head.seq, hash: head.hash, at } : null;
}
