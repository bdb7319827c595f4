// The embedded store's schema steps, migrations/sqlite/NNNN-what.sql (read by ../migration-files.ts).
import { migrationSteps, migrationsDir } from "../migration-files.js";

export const SQLITE_MIGRATIONS_DIR = migrationsDir("sqlite");

/** The migrations in order; the files are numbered 1…N without a gap or a repeat, else this throws. */
export const sqliteMigrations = (dir = SQLITE_MIGRATIONS_DIR): string[] => migrationSteps(dir);
