// A PostgreSQL store's database copied as its administrators copy it: pg_dump's custom format, one
// snapshot of the database in one transaction (MVCC: documents arriving meanwhile neither stop nor
// restart it), restored with pg_restore. The password goes by the environment, never on a command line
// another user could list.
import { spawnSync } from "node:child_process";
import type { Pool } from "./db.js";

/** The URL without its password, and the password for PGPASSWORD. */
function split(url: string): { url: string; password: string | undefined } {
  const u = new URL(url);
  const password = u.password ? decodeURIComponent(u.password) : undefined;
  u.password = "";
  return { url: u.toString(), password };
}

function run(cmd: string, args: string[], password: string | undefined): { ok: boolean; said: string; stdout: string } {
  const r = spawnSync(cmd, args, {
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
    env: { ...process.env, ...(password ? { PGPASSWORD: password } : {}) },
  });
  if (r.error) return { ok: false, said: `${cmd} could not be run (${r.error.message}): install PostgreSQL's client tools`, stdout: "" };
  return { ok: r.status === 0, said: (r.stderr ?? "").trim(), stdout: r.stdout ?? "" };
}

/** Dumps the database into `file` (pg_dump --format=custom); throws with pg_dump's own words when it fails. */
export function dumpDatabase(databaseUrl: string, file: string): void {
  const { url, password } = split(databaseUrl);
  const r = run("pg_dump", ["--format=custom", "--no-owner", "--file", file, "--dbname", url], password);
  if (!r.ok) throw new Error(`pg_dump failed: ${r.said}`);
}

/** The tables a dump holds data for, read back by pg_restore (a truncated or damaged dump does not list). */
export function dumpedTables(file: string): { ok: true; tables: string[] } | { ok: false; said: string } {
  const r = run("pg_restore", ["--list", file], undefined);
  if (!r.ok) return { ok: false, said: r.said || "pg_restore cannot read it" };
  const tables = r.stdout
    .split("\n")
    .map((l) => / TABLE DATA \S+ (\S+) /.exec(l)?.[1])
    .filter((t): t is string => t !== undefined);
  return { ok: true, tables };
}

/**
 * The documents that have a stored file, as of now: a read-only snapshot is taken at once, so the files a
 * caller lists afterwards include every one of them (a file is written before the row naming it). Read a
 * page at a time (bounded memory at millions); `end` lets the snapshot go.
 */
export async function documentsAsOfNow(pool: Pool, page = 10_000): Promise<{ documents: AsyncIterable<{ id: string; sha256: string }>; end(): Promise<void> }> {
  const c = await pool.connect();
  await c.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
  await c.query("SELECT 1 FROM documents LIMIT 1"); // the snapshot is taken by the first query
  async function* documents() {
    let after = "";
    for (;;) {
      const rows = (
        await c.query<{ id: string; sha256: string }>(
          'SELECT id, sha256 FROM documents WHERE sha256 IS NOT NULL AND id COLLATE "C" > $1 ORDER BY id COLLATE "C" LIMIT $2',
          [after, page],
        )
      ).rows;
      yield* rows;
      if (rows.length < page) return;
      after = rows[rows.length - 1]!.id;
    }
  }
  return {
    documents: documents(),
    async end() {
      await c.query("ROLLBACK").catch(() => undefined);
      c.release();
    },
  };
}
