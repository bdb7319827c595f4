// A signed head published outside the database, whichever backend holds the log: a line appended to a
// file (fsync'd) or POSTed to an http(s) URL, where a witness or an auditor keeps it.
import { closeSync, fsyncSync, openSync, writeSync } from "node:fs";

export const isUrl = (target: string): boolean => /^https?:\/\//.test(target);

/** The line published for a head: `{"signedHead": …}` with when it was published. */
export const headLine = (h: object, publishedAt = new Date()): string =>
  JSON.stringify({ signedHead: { ...h, publishedAt: publishedAt.toISOString() } }) + "\n";

export async function publishLine(line: string, target: string): Promise<void> {
  if (isUrl(target)) {
    const r = await fetch(target, { method: "POST", headers: { "content-type": "application/json" }, body: line, signal: AbortSignal.timeout(10_000) });
    if (!r.ok) throw new Error(`publishing the log head to ${target}: HTTP ${r.status}`);
    return;
  }
  const fd = openSync(target, "a", 0o644);
  try {
    writeSync(fd, line);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
