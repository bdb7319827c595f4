// The embedded store: one SQLite file (better-sqlite3, WAL) in KYSO_DATA_DIR, with versioned migrations
// (migrations/sqlite/*.sql) applied at start (PRAGMA user_version). One process writes (the API node); workers never touch it.
import Database from "better-sqlite3";
import { statSync } from "node:fs";
import { open, type FileHandle } from "node:fs/promises";
import { ConfigError } from "../../config.js";
import { makeFolder, refusalWords, writeRefusal } from "../folders.js";
import { storageProblem } from "../storage-errors.js";
import { storePaths } from "../paths.js";
import { fillTree } from "./audit-tree.js";
import { sqliteMigrations } from "./migrations.js";

export type Db = Database.Database;

/**
 * A consistent copy of the database in `file`, made in one read transaction (VACUUM INTO): writers going
 * on meanwhile neither stop nor restart it, where SQLite's online backup starts over whenever the source
 * changes between its steps, and so never finished while uploads kept arriving (issue 27).
 */
export function snapshotTo(db: Db, file: string): void {
  db.prepare("VACUUM INTO ?").run(file);
}

export function openDb(dataDir: string): Db {
  makeFolder(dataDir, "data folder");
  // every command that opens a store this way writes to it (the log, migrations, WAL files): a folder it
  // cannot write in is said at start with the folder named (exit 2), not as SQLite's words and a stack
  const refused = writeRefusal(dataDir);
  if (refused) throw new ConfigError(`cannot use the data folder '${dataDir}': ${refused}`);
  let db: Db | undefined;
  try {
    db = new Database(storePaths(dataDir).db);
    return prepare(db);
  } catch (e) {
    db?.close();
    const code = (e as { code?: unknown }).code;
    // what the access check lets through (root under /sys, where no file can be made; a kyso.db that is
    // not a database; a read-only kyso.db) SQLite refuses here
    if (typeof code === "string" && (storageProblem(e) || code === "SQLITE_NOTADB"))
      throw new ConfigError(`cannot open the store in the data folder '${dataDir}': ${refusalWords(code)} (${code}: ${(e as Error).message})`);
    throw e;
  }
}

function prepare(db: Db): Db {
  db.pragma("journal_mode = WAL");
  // FULL: a committed transaction is on disk before the commit returns (NORMAL may lose the last ones at a
  // power cut), so whatever was acknowledged survives one; analysis results are written with redoable()
  db.pragma("synchronous = FULL");
  db.pragma("foreign_keys = ON");
  // Other processes write this store too (kyso scan, kyso keys while kyso serve runs). Writes that read
  // first run as BEGIN IMMEDIATE (`.immediate()`): in WAL mode a deferred transaction that read before
  // another process committed cannot become a writer (SQLITE_BUSY_SNAPSHOT, no waiting); an immediate
  // one waits for the lock, up to this long.
  db.pragma("busy_timeout = 5000");
  // SQLite's lower() folds ASCII only: searching Vietnamese text needs the whole alphabet folded
  db.function("lower_vi", { deterministic: true }, (v: unknown) => (typeof v === "string" ? v.normalize("NFC").toLocaleLowerCase("vi") : v));
  migrate(db);
  cacheStatements(db);
  // a log from before audit_tree gets its subtrees once (a pass over the log), so proofs stay cheap
  fillTree(db);
  return db;
}

/**
 * A write that can be redone if a power cut loses it (an analysis result: its document is still queued
 * or processing in the durable state, so it is analyzed again): committed without waiting for the disk.
 * Whatever a later durable commit or checkpoint flushes is durable with it (durablePoint).
 */
export function redoable<T>(db: Db, write: () => T): T {
  const depth = relaxed.get(db) ?? 0;
  // prepared once (the statement cache): db.pragma() would prepare it again on every write
  if (depth === 0) db.prepare("PRAGMA synchronous = NORMAL").run();
  relaxed.set(db, depth + 1);
  try {
    return write();
  } finally {
    relaxed.set(db, depth);
    if (depth === 0) db.prepare("PRAGMA synchronous = FULL").run();
  }
}
const relaxed = new WeakMap<Db, number>();

/**
 * What `redoable` committed is on disk when this resolves: the write-ahead log is flushed (fsync) from
 * the thread pool, so the HTTP event loop does not wait for the disk, and concurrent requests share the
 * flushes. A request answers its 202 only after this (uploads, messages, register rows).
 */
export function flushed(db: Db): Promise<void> {
  // group commit: a flush under way covers what was committed before it started; requests that commit
  // meanwhile share the one flush that follows it
  const g = flushes.get(db) ?? { running: null, next: null };
  flushes.set(db, g);
  if (!g.running) {
    g.running = flushWal(db).finally(() => (g.running = null));
    return g.running;
  }
  g.next ??= g.running
    .catch(() => undefined)
    .then(() => {
      g.next = null;
      return flushed(db);
    });
  return g.next;
}
const flushes = new WeakMap<Db, { running: Promise<void> | null; next: Promise<void> | null }>();

async function flushWal(db: Db): Promise<void> {
  const path = `${db.name}-wal`;
  try {
    // the file the handle holds must still be the WAL (SQLite removes it when the last connection closes
    // and makes a new one at the next write): a handle on a removed file would flush nothing of use
    const ino = statSync(path).ino;
    let held = walHandles.get(db);
    if (held && held.ino !== ino) {
      walHandles.delete(db);
      void held.fh.then((h) => h.close()).catch(() => undefined);
      held = undefined;
    }
    if (!held) {
      held = { fh: open(path, "r"), ino };
      walHandles.set(db, held);
    }
    await (await held.fh).sync();
  } catch (e) {
    walHandles.delete(db);
    // no WAL (nothing written yet, or a checkpoint removed it): a durable commit says the same
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return durablePoint(db);
    throw e;
  }
}
const walHandles = new WeakMap<Db, { fh: Promise<FileHandle>; ino: number }>();

/** Closes what flushed() keeps open (before the database closes). */
export async function closeFlushed(db: Db): Promise<void> {
  const held = walHandles.get(db);
  walHandles.delete(db);
  if (held) await (await held.fh.catch(() => null))?.close();
}

/** Everything committed so far is on disk when this returns (before a log head is published). */
export function durablePoint(db: Db): void {
  db.transaction(() =>
    db.prepare("INSERT INTO settings (key, value) VALUES ('durable', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value").run(new Date().toISOString()),
  ).immediate();
}

/** A connection that only reads (a check in another thread): no migration, no writes. */
export function openReadOnly(file: string): Db {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  db.pragma("busy_timeout = 5000");
  cacheStatements(db);
  return db;
}

/** Statements are prepared once per SQL text: preparing costs more than running on the hot paths. */
function cacheStatements(db: Db): void {
  const prepare = db.prepare.bind(db);
  const cache = new Map<string, ReturnType<typeof prepare>>();
  (db as { prepare: typeof prepare }).prepare = ((sql: string) => {
    let s = cache.get(sql);
    if (!s) {
      s = prepare(sql);
      if (cache.size < 500) cache.set(sql, s);
    }
    return s;
  }) as typeof prepare;
}

/** Applies what is missing, one step per transaction; the version is read inside it, so processes
 * opening a new store at once (kyso serve and kyso keys, say) take turns instead of racing. */
export function migrate(db: Db): void {
  const MIGRATIONS = sqliteMigrations();
  for (;;) {
    const finished = db
      .transaction((): boolean => {
        const v = db.pragma("user_version", { simple: true }) as number;
        if (v > MIGRATIONS.length) throw new Error(`the database is from a newer kyso (schema ${v}, this version knows ${MIGRATIONS.length})`);
        if (v === MIGRATIONS.length) return true;
        db.exec(MIGRATIONS[v]!);
        db.pragma(`user_version = ${v + 1}`);
        return false;
      })
      .immediate();
    if (finished) return;
  }
}

/** The schema version of the store in `dataDir` before and after its migrations are applied (kyso migrate). */
export function migrateStore(dataDir: string): { from: number; to: number } {
  const file = storePaths(dataDir).db;
  let from = 0;
  try {
    const raw = new Database(file, { readonly: true, fileMustExist: true });
    from = raw.pragma("user_version", { simple: true }) as number;
    raw.close();
  } catch {
    // no store yet: openDb makes it
  }
  const db = openDb(dataDir);
  const to = db.pragma("user_version", { simple: true }) as number;
  db.close();
  return { from, to };
}
