// The newest head a full check of the store verified, kept in the store: the next start shows that the
// log still extends it (a consistency proof) and readiness says how far the log was verified and when.
// A failed full check removes it: nothing is said to be verified until a full check holds again.
import type { Db } from "./db.js";
import type { KeptHead } from "../../log/signed-history.js";

const KEY = "verified-head";

export function keepVerifiedHead(db: Db, head: KeptHead | null, checkedAt: Date): void {
  db.transaction(() => {
    if (!head) db.prepare("DELETE FROM settings WHERE key = ?").run(KEY);
    else {
      const { size, root, keyId, sig } = head;
      db.prepare("INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value").run(
        KEY,
        JSON.stringify({ size, root, keyId, sig, checkedAt: checkedAt.toISOString() }),
      );
    }
  }).immediate();
}

/** The head the last full check that held verified, with when it finished; null when none is kept. */
export function keptVerifiedHead(db: Db): (KeptHead & { checkedAt: string }) | null {
  const r = db.prepare("SELECT value FROM settings WHERE key = ?").get(KEY) as { value: string } | undefined;
  if (!r) return null;
  try {
    const v = JSON.parse(r.value) as KeptHead & { checkedAt: string };
    if (!(Number.isInteger(v.size) && typeof v.root === "string" && typeof v.sig === "string" && typeof v.keyId === "string")) return null;
    return { ...v, source: `the store's last full check (${v.checkedAt})` };
  } catch {
    return null;
  }
}
