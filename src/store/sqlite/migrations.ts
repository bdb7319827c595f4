// The schema's steps, one .sql file each in migrations/sqlite/ at the package's root (NNNN-what.sql),
// read once. They sit outside src/ so that the same path serves the sources (tsx, vitest) and the build
// (dist/), and a second backend can keep its own folder beside them.
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const SQLITE_MIGRATIONS_DIR = fileURLToPath(new URL("../../../migrations/sqlite/", import.meta.url));

let loaded: string[] | null = null;

/** The migrations in order; the files are numbered 1…N without a gap or a repeat, else this throws. */
export function sqliteMigrations(dir = SQLITE_MIGRATIONS_DIR): string[] {
  if (dir === SQLITE_MIGRATIONS_DIR && loaded) return loaded;
  let names: string[];
  try {
    names = readdirSync(dir)
      .filter((n) => n.endsWith(".sql"))
      .sort();
  } catch (e) {
    throw new Error(`the store's migrations are missing: cannot read ${dir} (${(e as Error).message})`);
  }
  const steps = names.map((name, i) => {
    const m = /^(\d{4})-[a-z0-9-]+\.sql$/.exec(name);
    if (!m || Number(m[1]) !== i + 1)
      throw new Error(`migration ${name} in ${dir}: expected number ${String(i + 1).padStart(4, "0")} (files NNNN-what.sql, numbered from 0001 without a gap)`);
    return readFileSync(`${dir}/${name}`, "utf8");
  });
  if (steps.length === 0) throw new Error(`the store's migrations are missing: no .sql file in ${dir}`);
  if (dir === SQLITE_MIGRATIONS_DIR) loaded = steps;
  return steps;
}
