// `kyso migrate` on each backend, through the real command (bin/kyso.js, built): the steps applied once
// and the version said; a second run finds the store current; a PostgreSQL password is never printed; a
// URL of another kind is refused with the setting named; and a command that cannot run on PostgreSQL yet
// says so instead of silently using the data folder.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "../helpers/paths.js";
import { hasPostgres, startCluster, type Cluster } from "../helpers/postgres.js";

const BIN = join(ROOT, "bin", "kyso.js");
const run = (env: Record<string, string>, ...args: string[]) =>
  spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", timeout: 60_000, env: { ...process.env, KYSO_DATABASE_URL: "", ...env } });
const steps = (backend: string) => readdirSync(join(ROOT, "migrations", backend)).filter((f) => f.endsWith(".sql")).length;

describe("kyso migrate on the embedded store", () => {
  it("applies every step to a new data folder once, then finds it current", () => {
    const data = join(mkdtempSync(join(tmpdir(), "kyso-migrate-")), "data");
    const first = run({}, "migrate", "--data", data);
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toBe(`the embedded store in ${data}: ${steps("sqlite")} steps applied, schema version ${steps("sqlite")}\n`);
    const again = run({}, "migrate", "--data", data);
    expect(again.stdout).toBe(`the embedded store in ${data}: already current, schema version ${steps("sqlite")}\n`);
  });

  it("refuses a KYSO_DATABASE_URL that is not PostgreSQL's, naming the setting", () => {
    const r = run({ KYSO_DATABASE_URL: "mysql://root@localhost/kyso" }, "migrate");
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^kyso: KYSO_DATABASE_URL must be a postgres:\/\/ URL/);
  });

  it("has kyso audit proof say it does not run on PostgreSQL yet, rather than use the data folder", () => {
    const r = run({ KYSO_DATABASE_URL: "postgres://kyso@127.0.0.1:1/kyso" }, "audit", "proof", "1");
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^kyso: KYSO_DATABASE_URL is set, but kyso audit does not run on PostgreSQL yet/);
  });
});

describe.skipIf(!hasPostgres)("kyso migrate on PostgreSQL", () => {
  let cluster: Cluster;
  beforeAll(async () => void (cluster = await startCluster()), 60_000);
  afterAll(() => cluster?.stop());

  it("applies every step once, prints the URL without its password, then finds the database current", () => {
    const url = cluster.database().replace("kyso@", "kyso:secret-word@"); // trust authentication ignores the password
    const first = run({ KYSO_DATABASE_URL: url }, "migrate");
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toMatch(
      new RegExp(
        `^PostgreSQL postgres://kyso:\\*\\*\\*@127\\.0\\.0\\.1:\\d+/kyso_\\d+_\\d+: ${steps("postgres")} steps applied, schema version ${steps("postgres")}\\n$`,
      ),
    );
    expect(first.stdout + first.stderr).not.toContain("secret-word");
    const again = run({ KYSO_DATABASE_URL: url }, "migrate");
    expect(again.stdout).toMatch(new RegExp(`already current, schema version ${steps("postgres")}\\n$`));
  });

  it("says a database it cannot reach, with exit code 1", () => {
    const r = run({ KYSO_DATABASE_URL: "postgres://kyso@127.0.0.1:1/none" }, "migrate");
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^kyso migrate: .*ECONNREFUSED/);
  });
});
