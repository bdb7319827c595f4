// The national exchange's own five messages of one document (../shared/corpus/edxml: the Government
// Office's 7816/VPCP-TTĐT sent, updated, replaced, revoked, and refused by a recipient) in every one of
// their 120 orders, through `kyso scan --json` and through POST /api/v1/edxml: each message accounted as
// edxml.tsv says, the summary always printed, and the same store whatever the order: one lineage of
// versions in the order of their trace times, the current one revoked, the status recorded on it.
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { DEFAULT_POLICY } from "../../src/compliance/index.js";
import { startServer } from "../../src/server.js";
import { createKey } from "../../src/store/sqlite/keys.js";
import { CORPUS, CORPUS_MISSING, hasCorpus, readTsv, ROOT } from "../helpers/paths.js";

const rows = hasCorpus ? readTsv(readFileSync(join(CORPUS, "edxml.tsv"), "utf8")) : [];
const AGENCIES =
  "code,name,parent,kind\n000.00.00.G22,Văn phòng Chính phủ,,administrative\n000.00.00.H41,Ủy ban nhân dân tỉnh Nghệ An,,administrative\n000.00.00.H14,Ủy ban nhân dân tỉnh Sơn La,,administrative\n000.00.00.G17,Bộ Tài chính,,administrative\n";
const kyso = (...args: string[]) => spawnSync(process.execPath, [join(ROOT, "bin", "kyso.js"), ...args], { encoding: "utf8", timeout: 60_000 });

function permutations<T>(xs: T[]): T[][] {
  if (xs.length <= 1) return [xs];
  return xs.flatMap((x, i) => permutations([...xs.slice(0, i), ...xs.slice(i + 1)]).map((p) => [x, ...p]));
}

/** What a store says, independent of ids, arrival and insertion order. */
function storeFacts(dbPath: string) {
  const db = new Database(dbPath, { readonly: true });
  try {
    const docs = db
      .prepare(
        `SELECT d.exchange_id, d.version, d.business, d.sender, d.number, d.issued_date, d.period_date, d.received_at, d.sha256, d.file_kind, d.held, d.category, d.counts,
           d.revoked_at IS NOT NULL AS revoked, d.superseded_by IS NULL AS current, (SELECT p.version FROM documents p WHERE p.id = d.supersedes) AS supersedes
         FROM documents d ORDER BY d.exchange_id, d.version`,
      )
      .all();
    const events = db
      .prepare(
        "SELECT e.kind, e.code, e.at, e.exchange_id, d.version FROM document_events e LEFT JOIN documents d ON d.id = e.document_id ORDER BY e.kind, e.code, e.at, d.version",
      )
      .all();
    const conflicts = (db.prepare("SELECT count(*) AS n FROM conflicts").get() as { n: number }).n;
    return { docs, events, conflicts };
  } finally {
    db.close();
  }
}

describe.skipIf(!hasCorpus)("the exchange's five messages of one document, in every order", () => {
  const names = rows.map((r) => r.name!.replace(/^edxml\//, ""));
  const orders = permutations(names);
  const kindOf = Object.fromEntries(rows.map((r) => [r.name!.replace(/^edxml\//, ""), r.kind!]));
  const root = hasCorpus ? mkdtempSync(join(tmpdir(), "kyso-lineage-")) : "";
  const agencies = join(root, "agencies.csv");
  if (hasCorpus) writeFileSync(agencies, AGENCIES);
  // 120 stores of a few megabytes each: gone with the test (two CI passes would leave a gigabyte)
  afterAll(() => void (root && rmSync(root, { recursive: true, force: true })));
  let reference: ReturnType<typeof storeFacts> | null = null;

  it("has 120 orders of five messages", () => expect([names.length, orders.length]).toEqual([5, 120]));

  it("kyso scan --json accounts for every message, prints its summary and leaves the same store in each order", () => {
    orders.forEach((order, n) => {
      const dir = join(root, `scan-${n}`);
      mkdirSync(dir, { recursive: true });
      // the scan reads a folder in name order: the prefix gives this order
      order.forEach((f, i) => copyFileSync(join(CORPUS, "edxml", f), join(dir, `${String(i).padStart(2, "0")}-${f}`)));
      const data = join(dir, "data");
      const r = kyso("scan", dir, "--agencies", agencies, "--data", data, "--json", "--no-analyze");
      expect(r.status, `order ${order.join(" ")}: ${r.stderr}`).toBe(0);
      const out = JSON.parse(r.stdout) as { messages: Array<{ file: string; kind: string }>; counts: Record<string, number> };
      expect(Object.fromEntries(out.messages.map((m) => [m.file.slice(3), m.kind]))).toEqual(kindOf);
      const facts = storeFacts(join(data, "kyso.db"));
      if (!reference) reference = facts;
      expect(facts, `order ${order.join(" ")}`).toEqual(reference);
    });
    // the store every order gives: one lineage, its versions by trace time, the current one revoked
    const docs = reference!.docs as Array<Record<string, unknown>>;
    expect(new Set(docs.map((d) => d.exchange_id))).toEqual(new Set(["000.00.00.G22,2015/09/30,7816/VPCP-TTĐT"]));
    expect(docs.map((d) => d.version)).toEqual([1, 2, 3]);
    expect(docs.map((d) => d.business)).toEqual(["update", "replacement", "document"]);
    expect(docs.map((d) => d.supersedes)).toEqual([null, 1, 2]);
    expect(docs.filter((d) => d.current === 1).map((d) => [d.version, d.revoked, d.held, d.file_kind])).toEqual([[3, 1, "revoked", "not-pdf"]]);
    expect(docs.slice(0, 2).every((d) => d.held === "superseded")).toBe(true);
    expect(new Set(docs.map((d) => d.period_date))).toEqual(new Set(["2018-09-28"]));
    expect((reference!.events as Array<Record<string, unknown>>).filter((e) => e.kind === "status")).toEqual([
      { kind: "status", code: "02", at: expect.any(String), exchange_id: "000.00.00.G22,2015/09/30,7816/VPCP-TTĐT", version: 3 },
    ]);
    expect(reference!.conflicts).toBe(0);
  }, 240_000);

  it("before its revocation the document counts once, electronic-not-pdf", () => {
    const dir = join(root, "no-revocation");
    mkdirSync(dir, { recursive: true });
    for (const f of names.filter((x) => kindOf[x] !== "revocation")) copyFileSync(join(CORPUS, "edxml", f), join(dir, f));
    const data = join(dir, "data");
    expect(kyso("scan", dir, "--agencies", agencies, "--data", data, "--json", "--no-analyze").status).toBe(0);
    const docs = storeFacts(join(data, "kyso.db")).docs as Array<Record<string, unknown>>;
    expect(docs.filter((d) => d.current === 1).map((d) => [d.category, d.counts, d.held])).toEqual([["electronic-not-pdf", 0, null]]);
  }, 60_000);

  it("POST /api/v1/edxml gives the same store in every order", async () => {
    for (const [n, order] of orders.entries()) {
      const dataDir = join(root, `api-${n}`, "data");
      const server = await startServer({
        dataDir,
        port: 0,
        host: "127.0.0.1",
        trustDirs: [join(ROOT, "fixtures", "trust")],
        concurrency: 1,
        timeoutMs: 20_000,
        policy: DEFAULT_POLICY,
        maxBodyBytes: 50 << 20,
        publishHeads: null,
      });
      try {
        const key = createKey(server.db, "admin", "test", "test").key;
        const put = await fetch(`${server.url}/api/v1/agencies`, {
          method: "PUT",
          headers: { authorization: `Bearer ${key}`, "content-type": "text/csv" },
          body: AGENCIES,
        });
        expect(put.status).toBe(200);
        for (const f of order) {
          const r = await fetch(`${server.url}/api/v1/edxml`, {
            method: "POST",
            headers: { authorization: `Bearer ${key}`, "content-type": "application/xml" },
            body: new Uint8Array(readFileSync(join(CORPUS, "edxml", f))),
          });
          expect(r.status, f).toBe(202);
          expect(((await r.json()) as { kind: string }).kind).toBe(kindOf[f]);
        }
      } finally {
        await server.close();
      }
      const facts = storeFacts(join(dataDir, "kyso.db"));
      // the API stores the time received where a message carries no trace time; these all carry one
      expect(facts, `order ${order.join(" ")}`).toEqual(reference);
    }
  }, 300_000);
});

if (!hasCorpus) it.skip(CORPUS_MISSING, () => {});
