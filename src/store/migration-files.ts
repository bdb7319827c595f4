// A backend's schema steps: one .sql file each in migrations/<backend>/ at the package's root
// (NNNN-what.sql), outside src/ so the same path serves the sources (tsx, vitest) and the build (dist/).
// Each backend applies them its own way (SQLite: PRAGMA user_version; PostgreSQL: a table of versions).
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const migrationsDir = (backend: "sqlite" | "postgres"): string => fileURLToPath(new URL(`../../migrations/${backend}/`, import.meta.url));

const loaded = new Map<string, string[]>();

/** The steps in order; the files are numbered 1…N without a gap or a repeat, else this throws. */
export function migrationSteps(dir: string): string[] {
  const known = loaded.get(dir);
  if (known) return known;
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
  loaded.set(dir, steps);
  return steps;
}
