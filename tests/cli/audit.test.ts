// The verification log in a real store (filled by `kyso scan`): an untouched log verifies; editing,
// deleting or reordering any row directly in the SQLite file makes `kyso audit verify` and
// GET /api/v1/audit/verify fail naming the entry; an export verifies offline and fails after a one-byte
// edit; `kyso reverify` appends new entries and keeps the old ones.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/api/app.js";
import { DEFAULT_POLICY } from "../../src/compliance/index.js";
import { TrustStore } from "../../src/pki/trust-store.js";
import { verifyExport } from "../../src/store/sqlite/audit.js";
import { BlobStore } from "../../src/store/blobs.js";
import { openDb } from "../../src/store/sqlite/db.js";
import { generateSample, AGENCIES_CSV, SAMPLE_TRUST, type SampleItem } from "../../fixtures/sample/generate.js";
import { rewriteLog } from "../helpers/forge-log.js";
import { ROOT } from "../helpers/paths.js";
import { writeRegister } from "../helpers/register.js";

let root: string;
let data: string;
let items: SampleItem[];
let auditorKey: string;
const kyso = (...args: string[]) => spawnSync(process.execPath, [join(ROOT, "bin", "kyso.js"), ...args], { encoding: "utf8", timeout: 120_000 });

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "kyso-audit-"));
  const dir = join(root, "export");
  data = join(root, "data");
  items = generateSample(dir, { documents: 16, seed: 21 });
  const scan = kyso("scan", dir, "--register", writeRegister(dir, items), "--agencies", AGENCIES_CSV, "--data", data, "--trust", SAMPLE_TRUST);
  expect(scan.status, scan.stderr).toBe(0);
  const k = kyso("keys", "create", "--role", "auditor", "--label", "inspectorate", "--data", data);
  expect(k.status, k.stderr).toBe(0);
  auditorKey = k.stdout.trim();
}, 120_000);

/** A copy of the store with `sql` run on the SQLite file directly, as someone with file access would. */
function tampered(sql: string): string {
  const copy = mkdtempSync(join(root, "copy-"));
  cpSync(data, copy, { recursive: true });
  const db = new Database(join(copy, "kyso.db"));
  db.exec(sql);
  db.close();
  return copy;
}

async function apiVerify(
  dir: string,
  headsFile: string | null = null,
): Promise<{ status: number; body: { ok: boolean; broken?: { seq: number; reason: string } } }> {
  const db = openDb(dir);
  try {
    const app = createApp({
      db,
      blobs: new BlobStore(join(dir, "blobs")),
      policy: DEFAULT_POLICY,
      onQueued: () => {},
      trust: () => TrustStore.empty(),
      headsFile,
    });
    const r = await app.request("/api/v1/audit/verify", { headers: { authorization: `Bearer ${auditorKey}` } });
    return { status: r.status, body: (await r.json()) as never };
  } finally {
    db.close();
  }
}

const entryCount = () => {
  const db = new Database(join(data, "kyso.db"), { readonly: true });
  const n = (db.prepare("SELECT count(*) n FROM audit_log").get() as { n: number }).n;
  db.close();
  return n;
};

describe("the verification log", () => {
  it("holds one entry per analysis, with the decisive fields and the hash of the stored report", () => {
    const db = new Database(join(data, "kyso.db"), { readonly: true });
    const analyses = db.prepare("SELECT a.id, a.report, d.sender FROM analyses a JOIN documents d ON d.id = a.document_id").all() as Array<{
      id: number;
      report: string;
      sender: string;
    }>;
    const entries = db.prepare("SELECT * FROM audit_log WHERE action = 'analysis'").all() as Array<{
      details: string;
      agency: string;
      engine: string;
      trust_store: string;
    }>;
    const actions = (db.prepare("SELECT action FROM audit_log ORDER BY seq").all() as Array<{ action: string }>).map((r) => r.action);
    db.close();
    expect(entries).toHaveLength(analyses.length);
    // the instance key is recorded first, then the first change
    expect(actions.slice(0, 2)).toEqual(["log-key", "agencies-update"]);
    expect(actions.at(-1)).toBe("key-create");
    const byId = new Map(entries.map((e) => [JSON.parse(e.details).analysisId as number, e]));
    for (const a of analyses) {
      const e = byId.get(a.id)!;
      const d = JSON.parse(e.details);
      const report = JSON.parse(a.report);
      expect(d.reportSha256).toBe(createHash("sha256").update(a.report).digest("hex"));
      expect([d.verdict, d.content, e.agency, e.trust_store]).toEqual([report.verdict, report.content.kind, a.sender, report.engine.trustStore]);
      expect(d.signatures.map((s: { indication: string }) => s.indication)).toEqual(report.signatures.map((s: { indication: string }) => s.indication));
    }
  });

  it("verifies when untouched, from the CLI and the API", async () => {
    const r = kyso("audit", "verify", "--data", data);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/intact, \d+ entries/);
    const api = await apiVerify(data);
    expect([api.status, api.body.ok]).toEqual([200, true]);
  });

  const n = () => entryCount();
  const cases: Array<{ name: string; sql: () => string; seq: () => number; reason: RegExp }> = [
    {
      name: "an analysis verdict edited",
      sql: () => 'UPDATE audit_log SET details = replace(details, \'"verdict":"\', \'"verdict":"x\') WHERE seq = 5',
      seq: () => 5,
      reason: /entry 5: its content does not match its hash/,
    },
    {
      name: "the actor of an entry edited",
      sql: () => "UPDATE audit_log SET actor = 'someone else' WHERE seq = 2",
      seq: () => 2,
      reason: /entry 2: its content/,
    },
    {
      name: "an entry's hash replaced by another valid hash",
      sql: () => "UPDATE audit_log SET hash = (SELECT hash FROM audit_log WHERE seq = 4) WHERE seq = 3",
      seq: () => 3,
      reason: /entry 3/,
    },
    { name: "an entry in the middle deleted", sql: () => "DELETE FROM audit_log WHERE seq = 6", seq: () => 6, reason: /entry 6 is missing/ },
    { name: "the first entry deleted", sql: () => "DELETE FROM audit_log WHERE seq = 1", seq: () => 1, reason: /entry 1 is missing/ },
    {
      name: "the newest entry deleted",
      sql: () => `DELETE FROM audit_log WHERE seq = ${n()}`,
      seq: () => n(),
      reason: /is missing: the log ends at entry \d+, its recorded head is entry \d+/,
    },
    {
      name: "two entries swapped",
      sql: () => "UPDATE audit_log SET seq = -7 WHERE seq = 7; UPDATE audit_log SET seq = 7 WHERE seq = 8; UPDATE audit_log SET seq = 8 WHERE seq = -7;",
      seq: () => 7,
      reason: /entry 7/,
    },
  ];
  for (const c of cases) {
    it(`fails naming the entry when ${c.name}`, async () => {
      const dir = tampered(c.sql());
      const r = kyso("audit", "verify", "--data", dir);
      expect(r.status).toBe(1);
      expect(r.stdout).toContain(`BROKEN at entry ${c.seq()}`);
      expect(r.stdout).toMatch(c.reason);
      const api = await apiVerify(dir);
      expect(api.status).toBe(409);
      expect(api.body.broken?.seq).toBe(c.seq());
    });
  }

  // the figures: someone with the database file edits what the statistics read, not the log
  const figureCases: Array<{ name: string; sql: string; row: RegExp }> = [
    {
      name: "documents not validly signed set to signed-valid in the documents table",
      sql: "UPDATE documents SET category = 'signed-valid', counts = 1, verdict = 'signed-valid' WHERE category = 'signed-indeterminate'",
      row: /the figures do not follow from the log: documents document [\w-]+( \([^)]*\))?: its recorded verdict and content \(signed-valid/,
    },
    {
      name: "a category alone edited",
      sql: "UPDATE documents SET category = 'signed-valid', counts = 1 WHERE category = 'paper'",
      row: /documents document [\w-]+.*: category is recorded as "signed-valid", but its recorded facts give "paper"/,
    },
    {
      name: "a document's classification edited to take it out",
      sql: "UPDATE documents SET classification = 'secret', category = 'excluded', counts = 0 WHERE id = (SELECT id FROM documents WHERE category = 'signed-valid' LIMIT 1)",
      row: /documents document [\w-]+.*: its facts \((number, date, subject, )?sender, recipients, classification.*are not those the log recorded at entry \d+/,
    },
    {
      name: "a monthly rollup edited",
      sql: "UPDATE rollup_monthly SET n_counts = n_counts + 50 WHERE (month, sender, category) IN (SELECT month, sender, category FROM rollup_monthly LIMIT 1)",
      row: /rollup_monthly \(\d{4}-\d{2}, [^,]+, [\w-]+\): it holds \d+ documents, \d+ counted, \d+ sealed by their sender, but the documents give/,
    },
    {
      name: "a daily rollup row added",
      sql: "INSERT INTO rollup_daily VALUES ('2024-05-05', 'X00', 'signed-valid', 9, 9, 0, 0)",
      row: /rollup_daily \(2024-05-05, X00, signed-valid\): it holds 9 documents/,
    },
    {
      name: "an analysis report edited",
      sql: 'UPDATE analyses SET report = replace(report, \'"verdict":"signed-indeterminate"\', \'"verdict":"signed-valid"\') WHERE id = (SELECT a.id FROM analyses a JOIN documents d ON d.id = a.document_id WHERE d.category = \'signed-indeterminate\' LIMIT 1)',
      row: /analyses analysis \d+ \(document [\w-]+\): its report is not the one the log recorded/,
    },
  ];
  for (const c of figureCases) {
    it(`names the row when ${c.name}`, async () => {
      const dir = tampered(c.sql);
      const r = kyso("audit", "verify", "--data", dir);
      expect(r.status, r.stdout).toBe(1);
      expect(r.stdout).toMatch(/the verification log: intact/); // the log itself is untouched
      expect(r.stdout).toMatch(c.row);
      const api = await apiVerify(dir);
      expect(api.status).toBe(409);
      expect((api.body as unknown as { error: { code: string; message: string } }).error).toMatchObject({
        code: "FIGURES_DO_NOT_FOLLOW",
        message: expect.stringMatching(c.row),
      });
    });
  }

  it("kyso serve on a broken store answers, but /readyz says not ready and why, and /metrics too", async () => {
    const { startServer, serverOptionsFromEnv } = await import("../../src/server.js");
    for (const [sql, reason] of [
      ["UPDATE audit_log SET actor = 'someone else' WHERE seq = (SELECT max(seq) - 1 FROM audit_log)", /entry \d+ does not match its hash/],
      ["DELETE FROM audit_log WHERE seq = (SELECT max(seq) FROM audit_log)", /recorded head \(entry \d+\) is not its last entry/],
    ] as const) {
      const dir = tampered(sql);
      const s = await startServer({ ...serverOptionsFromEnv({}), dataDir: dir, port: 0, publishHeads: null });
      try {
        expect((await fetch(`${s.url}/healthz`)).status).toBe(200);
        const r = await fetch(`${s.url}/readyz`);
        expect(r.status).toBe(503);
        expect(((await r.json()) as { reason: string }).reason).toMatch(reason);
        expect(await (await fetch(`${s.url}/metrics`)).text()).toMatch(/^kyso_store_intact\{reason=".+"\} 0$/m);
      } finally {
        await s.close();
      }
    }
    const s = await startServer({ ...serverOptionsFromEnv({}), dataDir: tampered("SELECT 1"), port: 0, publishHeads: null });
    try {
      expect((await fetch(`${s.url}/readyz`)).status).toBe(200);
    } finally {
      await s.close();
    }
  });

  it("publishes heads, proves entries and consistency, and checks proofs offline against the pinned key", () => {
    const key = kyso("audit", "key", "--data", data);
    expect(key.status, key.stderr).toBe(0);
    const pub = key.stdout.split("\n")[0]!;
    const heads = join(root, "cli-heads.jsonl");
    expect(kyso("audit", "head", "--publish", heads, "--data", data).status).toBe(0);
    expect(JSON.parse(readFileSync(heads, "utf8")).signedHead).toMatchObject({ size: entryCount(), publicKey: pub });
    const v = kyso("audit", "verify", "--heads", heads, "--key", pub, "--data", data);
    expect(v.status, v.stdout).toBe(0);
    expect(v.stdout).toMatch(/1 head\(s\) kept outside agree/);
    for (const args of [
      ["--entry", "3"],
      ["--first", "5"],
    ]) {
      const p = kyso("audit", "proof", ...args, "--data", data);
      expect(p.status, p.stderr).toBe(0);
      const file = join(root, `proof${args[0]}.json`);
      writeFileSync(file, p.stdout);
      const ok = kyso("audit", "check-proof", file, "--key", pub);
      expect(ok.status, ok.stdout).toBe(0);
      expect(ok.stdout).toMatch(/the proof holds/);
      // one bit of the path changed
      const proof = JSON.parse(p.stdout) as { inclusion?: { path: string[] }; consistency?: { path: string[] } };
      const path = (proof.inclusion ?? proof.consistency)!.path;
      path[0] = (parseInt(path[0]![0]!, 16) ^ 8).toString(16) + path[0]!.slice(1);
      writeFileSync(file, JSON.stringify(proof));
      const bad = kyso("audit", "check-proof", file, "--key", pub);
      expect(bad.status).toBe(1);
      expect(bad.stdout).toMatch(/THE PROOF DOES NOT HOLD/);
    }
    expect(kyso("audit", "proof", "--entry", "99999", "--data", data).status).toBe(2);
  });

  it("names rows cut from the tail with the head moved back, and an entry appended by hand, against the published heads (CLI and API)", async () => {
    for (const [name, sql, seq, reason] of [
      [
        "cut",
        "DELETE FROM audit_log WHERE seq > (SELECT max(seq) - 3 FROM audit_log); UPDATE audit_head SET seq = (SELECT max(seq) FROM audit_log), hash = (SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1), frontier = NULL",
        () => n() - 2,
        /is missing: the log ends at entry \d+, but the head kept in .*heads\.jsonl:1 .*covers \d+ entries/,
      ],
      [
        "appended",
        "INSERT INTO audit_log (seq, at, actor, action, subject, details, prev_hash, hash) SELECT seq + 1, at, 'admin', 'policy-change', 'compliance policy', '{}', hash, hash FROM audit_log ORDER BY seq DESC LIMIT 1",
        () => n() + 1,
        /entry \d+: (its content does not match its hash|it carries no signed tree head)/,
      ],
    ] as const) {
      const dir = tampered("SELECT 1");
      expect(kyso("audit", "head", "--publish", join(dir, "heads.jsonl"), "--data", dir).status, name).toBe(0);
      const db = new Database(join(dir, "kyso.db"));
      db.exec(sql);
      db.close();
      const r = kyso("audit", "verify", "--data", dir); // the store's own heads.jsonl is read
      expect(r.status, name).toBe(1);
      expect(r.stdout).toContain(`BROKEN at entry ${seq()}`);
      expect(r.stdout).toMatch(reason);
      const api = await apiVerify(dir, join(dir, "heads.jsonl"));
      expect(api.status, name).toBe(409);
      expect(api.body.broken?.seq).toBe(seq());
    }
  });

  it("replays the untouched store's figures and says so", () => {
    const r = kyso("audit", "verify", "--data", data);
    expect(r.status, r.stdout).toBe(0);
    expect(r.stdout).toMatch(/the figures: replayed from the log, they agree: \d+ documents, \d+ analyses, \d+ rollup rows/);
  });

  it("exports JSONL that verifies offline and fails after any one-byte edit", () => {
    const file = join(root, "log.jsonl");
    const ex = kyso("audit", "export", "--out", file, "--data", data);
    expect(ex.status, ex.stderr).toBe(0);
    const text = readFileSync(file, "utf8");
    expect(JSON.parse(text.trimEnd().split("\n").at(-1)!).head.seq).toBe(entryCount());
    const ok = kyso("audit", "verify", file);
    expect(ok.status, ok.stdout).toBe(0);
    const bytes = Buffer.from(text);
    const edited = Buffer.from(bytes);
    const at = text.indexOf('"verdict":"') + 12;
    edited[at] = edited[at]! ^ 0x01;
    writeFileSync(join(root, "edited.jsonl"), edited);
    const bad = kyso("audit", "verify", join(root, "edited.jsonl"));
    expect(bad.status).toBe(1);
    expect(bad.stdout).toMatch(/BROKEN at entry \d+/);
    // every byte position, every line: flipping one bit is always detected
    const step = Math.max(1, Math.floor(bytes.length / 1500));
    for (let i = 0; i < bytes.length; i += step) {
      const b = Buffer.from(bytes);
      b[i] = b[i] === 0x0a ? 0x20 : b[i]! ^ 0x01;
      expect(verifyExport(b.toString("latin1")).ok, `byte ${i}`).toBe(false);
    }
    const lines = text.trimEnd().split("\n");
    expect(verifyExport(lines.slice(0, -1).join("\n")).ok).toBe(false); // head cut
    expect(verifyExport([...lines.slice(0, 3), ...lines.slice(4)].join("\n")).ok).toBe(false); // a line removed
  });

  it("catches a log rewritten with every hash recomputed, by its signed heads and against the head of an earlier export", () => {
    const kept = join(root, "kept.jsonl");
    expect(kyso("audit", "export", "--out", kept, "--data", data).status).toBe(0);
    // a forger with the file and the code: edit entry 5, then recompute every hash after it and the head
    const dir = tampered("SELECT 1");
    const db = new Database(join(dir, "kyso.db"));
    rewriteLog(db, 5, (d) => JSON.parse(JSON.stringify(d).replace('"verdict":"', '"verdict":"x')) as Record<string, unknown>);
    db.close();
    // the chain alone cannot tell, the signed tree heads can: without the instance key, no head verifies
    const alone = kyso("audit", "verify", "--data", dir);
    expect(alone.status).toBe(1);
    expect(alone.stdout).toMatch(/BROKEN at entry 5: entry 5: (its recorded tree root is not the root|the signature of its tree head does not verify)/);
    const r = kyso("audit", "verify", "--against", kept, "--data", dir);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/BROKEN at entry 5: /);
    expect(kyso("audit", "verify", "--against", kept, "--data", data).status).toBe(0);
  });

  it("gives the figures from an export alone, equal to kyso stats, and refuses an export it cannot trust", () => {
    const file = join(root, "figures.jsonl");
    expect(kyso("audit", "export", "--out", file, "--data", data).status).toBe(0);
    const pub = kyso("audit", "key", "--data", data).stdout.split("\n")[0]!;
    const period = ["--from", "2024-01-01", "--to", "2024-12-31"];
    const r = kyso("audit", "figures", file, ...period, "--key", pub, "--json");
    expect(r.status, r.stdout + r.stderr).toBe(0);
    const fromLog = JSON.parse(r.stdout) as {
      province: { denominator: number; numerator: number; byCategory: Record<string, number> };
      agencies: Array<{ code: string; denominator: number; numerator: number }>;
    };
    const stats = JSON.parse(kyso("stats", ...period, "--json", "--data", data).stdout) as {
      denominator: number;
      numerator: number;
      byCategory: Record<string, number>;
      agencies: Array<{ code: string; denominator: number; numerator: number }>;
    };
    expect(fromLog.province.denominator).toBeGreaterThan(0);
    expect([fromLog.province.denominator, fromLog.province.numerator]).toEqual([stats.denominator, stats.numerator]);
    expect(fromLog.province.byCategory).toEqual(stats.byCategory);
    const pick = (list: Array<{ code: string; denominator: number; numerator: number }>) =>
      Object.fromEntries(list.filter((a) => a.denominator > 0).map((a) => [a.code, [a.denominator, a.numerator]]));
    expect(pick(fromLog.agencies)).toEqual(pick(stats.agencies));
    expect(kyso("audit", "figures", file, ...period).stdout).toMatch(/^province: \d+ of \d+ signed electronic \(\d+\.\d%\), gap \d+$/m);
    // a filtered export, an edited one, or one checked against another key: no figures
    const filtered = join(root, "filtered.jsonl");
    expect(kyso("audit", "export", "--out", filtered, "--from", "2000-01-01", "--data", data).status).toBe(0);
    expect(kyso("audit", "figures", filtered).stdout).toMatch(/a filtered export: the figures need the whole log/);
    const edited = join(root, "edited-figures.jsonl");
    writeFileSync(edited, readFileSync(file, "utf8").replace('"category":"paper"', '"category":"signed-valid"'));
    const bad = kyso("audit", "figures", edited);
    expect(bad.status).toBe(1);
    expect(bad.stdout).toMatch(/the export does not verify \(entry \d+: .*\); no figures computed from it/);
    const other = kyso(
      "audit",
      "figures",
      file,
      "--key",
      pub.replace(/^./, (c) => (c === "A" ? "B" : "A")),
    );
    expect(other.status).toBe(1);
  });

  it("reverify appends reanalysis and category-change entries and keeps the old ones", () => {
    const before = kyso("audit", "export", "--data", data).stdout.trimEnd().split("\n").slice(0, -1);
    // without the sample's trust anchors the signed documents can no longer be validated
    const r = kyso("reverify", "--data", data);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/\d+ document\(s\) queued/);
    const after = kyso("audit", "export", "--data", data).stdout.trimEnd().split("\n").slice(0, -1);
    expect(after.slice(0, before.length)).toEqual(before);
    const added = after.slice(before.length).map((l) => JSON.parse(l) as { action: string; details: { from?: string; to?: string } });
    expect(added[0]!.action).toBe("reverify");
    const analyzed = items.filter((i) => i.file && i.expected.category !== "excluded").length;
    expect(added.filter((e) => e.action === "reanalysis").length).toBeGreaterThanOrEqual(analyzed);
    const changes = added.filter((e) => e.action === "category-change");
    expect(changes.length).toBeGreaterThan(0);
    for (const c of changes) expect([c.details.from, c.details.to]).toEqual(["signed-valid", "signed-indeterminate"]);
    expect(kyso("audit", "verify", "--data", data).status).toBe(0);
  });
});
