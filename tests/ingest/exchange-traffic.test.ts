// Exchange traffic as the province's systems send it (issue 11), generated from shared/EXCHANGE.md by
// fixtures/exchange/generate.ts: `kyso scan --json` accounts for each message as built, the figure equals
// the one counted by hand in the generator (revoked out, replaced counted once, unmatched register rows
// as paper, electronic-not-pdf and directory gaps as specified), and the same messages and registers
// through the HTTP API give the same store.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AGENCIES_CSV, SAMPLE_TRUST } from "../../fixtures/sample/generate.js";
import { DEFAULT_POLICY } from "../../src/compliance/index.js";
import { startServer, type RunningServer } from "../../src/server.js";
import { createKey } from "../../src/store/sqlite/keys.js";
import { openDb } from "../../src/store/sqlite/db.js";
import { updateDirectory } from "../../src/lifecycle/index.js";
import { ROOT } from "../helpers/paths.js";
import { kysoAt, useTestClock } from "../helpers/clock.js";

const TRAFFIC = join(ROOT, "fixtures", "exchange", "traffic");
const MESSAGES = join(TRAFFIC, "messages");
const INCOMING = join(TRAFFIC, "registers", "so-den-H53.02.csv");
const OUTGOING = join(TRAFFIC, "registers", "so-di-H53.03.csv");
const expected = JSON.parse(readFileSync(join(TRAFFIC, "expected.json"), "utf8")) as {
  messages: Record<string, string>;
  counts: Record<string, number>;
  period: { from: string; to: string };
  byCategory: Record<string, number>;
  denominator: number;
  numerator: number;
  held: Record<string, number>;
  registers: Record<"incoming" | "outgoing", { owner: string; rows: number; matched: number }>;
  unmatchedRows: string[];
  unregisteredIncoming: string[];
  gaps: string[];
  statusEventsOfB: string[];
  orphanStatus: string;
};
// kyso receives the messages at the test time (its receipt is the validation time of signatures without a
// time-stamp): the figure is the same whatever the calendar says
const at = kysoAt();
const kyso = (...args: string[]) => spawnSync(process.execPath, [...at.argv, ...args], { encoding: "utf8", timeout: 180_000, env: at.env });

/** What a store says, independent of ids and insertion order: each document version and each event. */
function storeFacts(dbPath: string) {
  const db = new Database(dbPath, { readonly: true });
  try {
    const docs = db
      .prepare(
        `SELECT d.sender, d.number, d.issued_date, d.period_date, d.channel, d.file_kind, d.file_name, d.exchange_id, d.version, d.held, d.category, d.counts, d.revocation_reason, d.paper_copy, d.sha256,
           (SELECT group_concat(recipient, ',') FROM (SELECT recipient FROM deliveries WHERE document_id = d.id ORDER BY recipient)) recipients,
           (SELECT number || '@' || version FROM documents p WHERE p.id = d.supersedes) supersedes
         FROM documents d ORDER BY d.sender, d.number, d.version`,
      )
      .all();
    const events = db
      .prepare(
        "SELECT e.kind, e.code, e.description, e.at, e.exchange_id, d.number FROM document_events e LEFT JOIN documents d ON d.id = e.document_id ORDER BY e.kind, e.exchange_id, e.code, e.at",
      )
      .all();
    const rows = db
      .prepare(
        "SELECT r.owner, r.register, r.line, r.sender, r.number, r.issued_date, d.number doc FROM register_rows r JOIN documents d ON d.id = r.document_id ORDER BY r.owner, r.line",
      )
      .all();
    return { docs, events, rows };
  } finally {
    db.close();
  }
}

describe("exchange traffic through kyso scan", () => {
  let data: string;
  let scan: ReturnType<typeof kyso>;
  let out: {
    messages: Array<{ file: string; kind: string; reason?: string; sha256?: string; number?: string; sender?: string }>;
    counts: Record<string, number>;
  };
  const stats = (...more: string[]) =>
    JSON.parse(kyso("stats", "--data", data, "--from", expected.period.from, "--to", expected.period.to, "--json", ...more).stdout);

  beforeAll(() => {
    data = join(mkdtempSync(join(tmpdir(), "kyso-traffic-")), "data");
    scan = kyso(
      "scan",
      MESSAGES,
      "--register",
      INCOMING,
      "--register-owner",
      "H53.02",
      "--register",
      OUTGOING,
      "--register-owner",
      "H53.03",
      "--agencies",
      AGENCIES_CSV,
      "--data",
      data,
      "--trust",
      SAMPLE_TRUST,
      "--json",
    );
    out = JSON.parse(scan.stdout);
  }, 180_000);

  it("accounts for each message as it was built, and exits 1 because some were rejected", () => {
    expect(scan.status, scan.stderr).toBe(1);
    expect(Object.fromEntries(out.messages.map((m) => [m.file, m.kind]))).toEqual(expected.messages);
    expect(out.counts).toEqual(expected.counts);
    for (const m of out.messages.filter((x) => x.kind === "rejected")) expect(m.reason).toMatch(/not well-formed XML|no MessageHeader/);
    const a = out.messages.find((m) => m.file === "01-new-zipped.edxml")!;
    // the legacy sender code is the directory's, through its explicit alias; the number as the header writes it
    expect([a.sender, a.number, a.sha256]).toEqual(["H53.03", "101/STP-VP", expect.stringMatching(/^[0-9a-f]{64}$/)]);
    expect(out.messages.find((m) => m.file === "02-duplicate.edxml")!.sha256).toBe(a.sha256);
  });

  it("gives the figure counted by hand from the cases", () => {
    const s = stats();
    expect(s.byCategory).toEqual(expected.byCategory);
    expect([s.denominator, s.numerator]).toEqual([expected.denominator, expected.numerator]);
  });

  it("keeps every version, the revocation's reason, the main file and the annexes", () => {
    const db = new Database(join(data, "kyso.db"), { readonly: true });
    try {
      const held = Object.fromEntries(
        (db.prepare("SELECT held, count(*) n FROM documents WHERE held IS NOT NULL GROUP BY held").all() as Array<{ held: string; n: number }>).map((r) => [
          r.held,
          r.n,
        ]),
      );
      expect(held).toEqual(expected.held);
      const b = db.prepare("SELECT * FROM documents WHERE number = '55/SNV-TCBC' ORDER BY version").all() as Array<Record<string, unknown>>;
      expect(b.map((r) => [r.version, r.held, r.category, r.period_date])).toEqual([
        [1, "superseded", null, "2024-06-05"],
        [2, null, "signed-valid", "2024-06-05"],
      ]);
      const f = db.prepare("SELECT held, revocation_reason, category FROM documents WHERE number = '77/SCT-QLTM'").get();
      expect(f).toEqual({ held: "revoked", revocation_reason: "Thu hồi do ban hành nhầm", category: null });
      const d = db.prepare("SELECT file_kind, category, status FROM documents WHERE number = '301/STC-NS'").get();
      expect(d).toEqual({ file_kind: "not-pdf", category: "electronic-not-pdf", status: "done" });
      const c = db.prepare("SELECT file_name FROM documents WHERE number = '88/SKHĐT-TH' AND version = 1").get() as { file_name: string };
      expect(c.file_name).toBe("88-SKHDT.pdf/9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b.pdf");
      const msg = db.prepare("SELECT attachments FROM edxml_messages WHERE kind = 'document' AND number = '88/SKHĐT-TH'").get() as { attachments: string };
      expect(JSON.parse(msg.attachments).annexes).toEqual(["phu-luc-1.zip/a1.txt", "phu-luc-2.pdf"]);
      expect(db.prepare("SELECT paper_copy FROM documents WHERE number = '66/STNMT-VP'").get()).toEqual({ paper_copy: 1 });
      // the trace time (Vietnam time) is the time received
      expect(db.prepare("SELECT received_at FROM documents WHERE number = '9/SXD-QLXD'").get()).toEqual({ received_at: "2024-06-19T08:00:00.000Z" });
      const statuses = db
        .prepare(
          "SELECT e.code FROM document_events e JOIN documents d ON d.id = e.document_id WHERE e.kind = 'status' AND d.number = '55/SNV-TCBC' ORDER BY e.code",
        )
        .all() as Array<{ code: string }>;
      expect(statuses.map((r) => r.code)).toEqual(expected.statusEventsOfB);
      expect(db.prepare("SELECT document_id FROM document_events WHERE exchange_id = ?").all(expected.orphanStatus)).toEqual([{ document_id: null }]);
    } finally {
      db.close();
    }
  });

  it("lists the directory gaps and the reconciliation mismatches both ways", () => {
    const r = kyso("reconcile", "--data", data, "--json");
    expect(r.status, r.stderr).toBe(0);
    const rec = JSON.parse(r.stdout) as {
      unmatchedRows: Array<{ number: string }>;
      unregistered: Array<{ owner: string; register: string; number: string }>;
      gaps: Array<{ code: string }>;
      registers: Array<{ owner: string; register: string; rows: number; matched: number }>;
    };
    expect(rec.unmatchedRows.map((x) => x.number).sort()).toEqual([...expected.unmatchedRows].sort());
    expect(
      rec.unregistered
        .filter((x) => x.owner === "H53.02")
        .map((x) => x.number)
        .sort(),
    ).toEqual([...expected.unregisteredIncoming].sort());
    expect(rec.gaps.map((g) => g.code)).toEqual(expected.gaps);
    expect((rec as unknown as { unknownDocuments: Array<{ kind: string; exchangeId: string }> }).unknownDocuments).toEqual([
      expect.objectContaining({ kind: "status", exchangeId: expected.orphanStatus }),
    ]);
    for (const layout of ["incoming", "outgoing"] as const) expect(rec.registers.find((x) => x.register === layout)).toMatchObject(expected.registers[layout]);
    const text = kyso("reconcile", "--data", data);
    expect(text.stdout).toContain("000.00.77.H53");
    expect(text.stdout).toContain("45/STC-NS");
  });

  it("is resumable: the same traffic again changes no figure and adds no document", () => {
    const before = storeFacts(join(data, "kyso.db"));
    const again = kyso(
      "scan",
      MESSAGES,
      "--register",
      INCOMING,
      "--register-owner",
      "H53.02",
      "--register",
      OUTGOING,
      "--register-owner",
      "H53.03",
      "--data",
      data,
      "--trust",
      SAMPLE_TRUST,
      "--json",
    );
    expect(again.status).toBe(1);
    expect(storeFacts(join(data, "kyso.db"))).toEqual(before);
  });

  it("brings a directory gap into the figures once the directory has the agency", () => {
    const db = openDb(data);
    updateDirectory(db, [{ code: "H53.77", name: "Ban Quản lý dự án", parent: "H53", kind: "administrative", aliases: ["000.00.77.H53"] }], "test");
    expect(db.prepare("SELECT held, category, agency FROM documents WHERE number = '12/SNN-KH'").get()).toEqual({
      held: null,
      category: "signed-valid",
      agency: "H53.07",
    });
    db.close();
    const s = stats();
    expect([s.denominator, s.numerator]).toEqual([expected.denominator + 1, expected.numerator + 1]);
  });

  it("re-verifies current PDFs only: a .doc and a superseded version have nothing to verify again", () => {
    const r = kyso("reverify", "--data", data, "--no-analyze");
    expect(r.status, r.stderr).toBe(0);
    const db = new Database(join(data, "kyso.db"), { readonly: true });
    try {
      const queued = db.prepare("SELECT number, version, file_kind FROM documents WHERE status = 'queued' ORDER BY number, version").all() as Array<{
        number: string;
        version: number;
        file_kind: string;
      }>;
      expect(queued.every((d) => d.file_kind === "pdf")).toBe(true);
      expect(queued.filter((d) => d.number === "55/SNV-TCBC").map((d) => d.version)).toEqual([2]);
      expect(queued.some((d) => d.number === "301/STC-NS")).toBe(false);
    } finally {
      db.close();
    }
  });

  describe("the same traffic through the HTTP API", () => {
    let server: RunningServer;
    let key: string;
    beforeAll(async () => {
      useTestClock();
      server = await startServer({
        dataDir: join(mkdtempSync(join(tmpdir(), "kyso-traffic-api-")), "data"),
        port: 0,
        host: "127.0.0.1",
        trustDirs: [SAMPLE_TRUST],
        concurrency: 2,
        timeoutMs: 20_000,
        policy: DEFAULT_POLICY,
        maxBodyBytes: 50 << 20,
      });
      key = createKey(server.db, "admin", "test", "test").key;
      const call = (path: string, type: string, body: Buffer) =>
        fetch(`${server.url}${path}`, {
          method: path.includes("agencies") ? "PUT" : "POST",
          headers: { authorization: `Bearer ${key}`, "content-type": type },
          body: new Uint8Array(body),
        });
      expect((await call("/api/v1/agencies", "text/csv", readFileSync(AGENCIES_CSV))).status).toBe(200);
      for (const f of readdirSync(MESSAGES).sort()) {
        const mtime = new Date(`2024-07-31T00:00:00Z`).toISOString();
        const r = await call(`/api/v1/edxml?receivedAt=${mtime}`, "application/xml", readFileSync(join(MESSAGES, f)));
        expect(r.status, `${f}: ${await r.clone().text()}`).toBe(expected.messages[f] === "rejected" ? 400 : 202);
        if (r.status === 202) expect(((await r.json()) as { kind: string }).kind).toBe(expected.messages[f]);
      }
      expect((await call("/api/v1/exchanges?owner=H53.02", "text/csv", readFileSync(INCOMING))).status).toBe(201);
      expect((await call("/api/v1/exchanges?owner=H53.03", "text/csv", readFileSync(OUTGOING))).status).toBe(201);
      await server.runner.idle();
    }, 180_000);
    afterAll(async () => server?.close());

    it("gives the same store as the scan (before the directory change)", () => {
      const fresh = join(mkdtempSync(join(tmpdir(), "kyso-traffic-again-")), "data");
      kyso(
        "scan",
        MESSAGES,
        "--register",
        INCOMING,
        "--register-owner",
        "H53.02",
        "--register",
        OUTGOING,
        "--register-owner",
        "H53.03",
        "--agencies",
        AGENCIES_CSV,
        "--data",
        fresh,
        "--trust",
        SAMPLE_TRUST,
        "--json",
      );
      const viaApi = storeFacts(server.db.name);
      const viaScan = storeFacts(join(fresh, "kyso.db"));
      expect(viaApi.docs).toEqual(viaScan.docs);
      expect(viaApi.events).toEqual(viaScan.events);
      expect(viaApi.rows).toEqual(viaScan.rows);
    }, 180_000);

    it("serves the figure, the gaps and the reconciliation", async () => {
      const get = async (path: string) =>
        (await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${key}` } })).json() as Promise<Record<string, unknown>>;
      const s = await get(`/api/v1/stats/summary?from=${expected.period.from}&to=${expected.period.to}`);
      expect([s.denominator, s.numerator, s.byCategory]).toEqual([expected.denominator, expected.numerator, expected.byCategory]);
      const g = (await get("/api/v1/directory-gaps")) as { gaps: Array<{ code: string }>; held: Record<string, number> };
      expect([g.gaps.map((x) => x.code), g.held]).toEqual([expected.gaps, expected.held]);
      const rec = (await get("/api/v1/reconciliation?owner=H53.02")) as { unmatchedRows: Array<{ number: string }> };
      expect(rec.unmatchedRows.map((x) => x.number).sort()).toEqual(["12/UBND-VP", "45/STC-NS"]);
    });
  });
});
