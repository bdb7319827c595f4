// "Data as of" on the pages' header (issue 25): the time of the newest analysis or document the store
// recorded. The newest analysis is the last of its INTEGER PRIMARY KEY; the newest document the largest
// creation time of each status along the (status, created_at) index: a few index seeks at any size.
import type { Db } from "./db.js";
import type { DocumentRow } from "../rows.js";
import { newestTime } from "../newest.js";

const STATUSES: ReadonlyArray<DocumentRow["status"]> = ["queued", "processing", "done", "failed", "paper"];

/** The newest recorded analysis's or document's time (ISO 8601), or null for an empty store. */
export function dataAsOf(db: Db): string | null {
  const analysis = db.prepare("SELECT created_at t FROM analyses ORDER BY id DESC LIMIT 1").get() as { t: string } | undefined;
  const newest = db.prepare("SELECT max(created_at) t FROM documents WHERE status = ?");
  return newestTime([analysis?.t, ...STATUSES.map((s) => (newest.get(s) as { t: string | null }).t)]);
}
