// The signed log head published from a PostgreSQL store that several nodes serve: each node's publisher
// asks at its interval, but a head is published once per growth of the log whichever node asks. A node
// publishes under a transaction-scoped advisory lock (another node asking meanwhile skips its turn) and
// only when the log grew past the size the store says was last published, which it then records.
import { runCheckAsync } from "../check/script.js";
import { currentHead } from "../check/store-check.js";
import { headLine, publishLine } from "../publish-head.js";
import type { HeadSource } from "../head-publisher.js";
import { inTransaction, type Pool } from "./db.js";
import { postgresCheckSource } from "./check-source.js";

/** The publication's advisory lock (apart from the migrations' and the identities' keys). */
const PUBLISH_LOCK = 0x6b797370; // "kysp"

export function postgresHeads(pool: Pool): HeadSource {
  const source = postgresCheckSource(pool);
  return {
    size: async () => (await source.recordedHead()).seq,
    publish: (target) =>
      inTransaction(pool, async (c) => {
        if (!(await c.query<{ ok: boolean }>("SELECT pg_try_advisory_xact_lock($1) ok", [PUBLISH_LOCK])).rows[0]!.ok) return null;
        const was = Number((await c.query<{ value: string }>("SELECT value FROM settings WHERE key = 'published-head-size'")).rows[0]?.value ?? 0);
        const h = await runCheckAsync(source, currentHead());
        if (!h || h.size <= was) return h ? { size: h.size } : null;
        await publishLine(headLine(h), target);
        await c.query("INSERT INTO settings (key, value) VALUES ('published-head-size', $1) ON CONFLICT (key) DO UPDATE SET value = excluded.value", [
          String(h.size),
        ]);
        return { size: h.size };
      }),
  };
}
