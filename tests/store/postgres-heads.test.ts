// The signed head published from a PostgreSQL store two nodes serve: each node's publisher ticks, and a
// head is published once per growth of the log whichever node ticks first; the line published is a head
// the log's own check accepts (its size, its root).
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogKey } from "../../src/log/key.js";
import { HeadPublisher } from "../../src/store/head-publisher.js";
import { migrate, openPool } from "../../src/store/postgres/db.js";
import { postgresHeads } from "../../src/store/postgres/head-publishing.js";
import { postgresLog } from "../../src/store/postgres/log-port.js";
import { hasPostgres, startCluster, type Cluster } from "../helpers/postgres.js";

describe.skipIf(!hasPostgres)("the log head published from PostgreSQL by several nodes", () => {
  let cluster: Cluster;
  beforeAll(async () => void (cluster = await startCluster()), 120_000);
  afterAll(() => cluster?.stop());

  it("publishes each growth of the log once, whichever node's publisher ticks", async () => {
    const url = cluster.database();
    const setup = openPool(url, 1);
    await migrate(setup);
    await setup.end();
    const key = createLogKey(join(mkdtempSync(join(tmpdir(), "kyso-heads-")), "log-key.pem"));
    const log = postgresLog(openPool(url, 2), key);
    const target = join(mkdtempSync(join(tmpdir(), "kyso-heads-out-")), "heads.jsonl");
    const nodes = [openPool(url, 2), openPool(url, 2)];
    const publishers = nodes.map((p) => new HeadPublisher(postgresHeads(p), target, 60_000));
    const lines = () =>
      readFileSync(target, "utf8")
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l).signedHead as { size: number });

    await log.append([{ actor: "test", action: "register-import", subject: "one", details: {} }]);
    await Promise.all(publishers.map((p) => p.tick()));
    await Promise.all(publishers.map((p) => p.tick()));
    expect(lines().map((h) => h.size)).toEqual([(await log.head()).seq]);

    await log.append([{ actor: "test", action: "register-import", subject: "two", details: {} }]);
    await publishers[1]!.tick();
    await publishers[0]!.tick();
    const sizes = lines().map((h) => h.size);
    expect(sizes).toEqual([sizes[0], (await log.head()).seq]);
    expect(publishers.map((p) => p.error)).toEqual([null, null]);
    await log.close();
    for (const p of nodes) await p.end();
  });
});
