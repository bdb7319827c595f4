// The full check on request without a request held open (issue 27, point 4): POST /api/v1/audit/verify/full
// starts the server's full check, or joins the one running, and answers at once; GET says how far it has
// gone and then its answer, with the run it belongs to. GET /api/v1/audit/verify?full=true is the same
// check (one run counted, not a second check beside it). Only auditors may start it.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { submit } from "../../src/lifecycle/index.js";
import { openDb } from "../../src/store/sqlite/db.js";
import { createKey } from "../../src/store/sqlite/keys.js";
import { paperRow } from "../helpers/paper-row.js";
import { embeddedApp } from "../helpers/embedded-app.js";

interface State {
  run: number;
  state: string;
  result: {
    run: number;
    ok: boolean;
    mode: string;
    entries: number;
    head: { seq: number; hash: string };
    broken?: { seq: number };
    error?: { code: string };
  } | null;
}

describe("the full check started and followed", () => {
  const db = openDb(mkdtempSync(join(tmpdir(), "kyso-full-check-")));
  const auditor = createKey(db, "auditor", "full", "test").key;
  const viewer = createKey(db, "viewer", "full", "test").key;
  const app = embeddedApp(db);
  const as = (key: string, method = "GET") => ({ method, headers: { authorization: `Bearer ${key}` } });
  const start = async () => {
    const r = await app.request("/api/v1/audit/verify/full", as(auditor, "POST"));
    expect(r.status).toBe(202);
    return (await r.json()) as State;
  };
  /** GET until the answer of run `run` is there */
  const finished = async (run: number, query = ""): Promise<State> => {
    for (let i = 0; i < 600; i++) {
      const s = (await (await app.request(`/api/v1/audit/verify/full${query}`, as(auditor))).json()) as State;
      if (s.result && s.result.run >= run) return s;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`run ${run} did not finish`);
  };
  for (let i = 0; i < 40; i++) submit(db, paperRow({ number: `${i}/CV` }), "test");

  it("answers at once while the check runs, then gives the check's answer", async () => {
    const started = await start();
    expect(started).toMatchObject({ run: 1, state: "running" });
    // a second auditor meanwhile joins the same check
    expect((await start()).run).toBe(1);
    const s = await finished(1);
    expect(s).toMatchObject({ run: 1, state: "held", result: { run: 1, ok: true, mode: "full" } });
    expect(s.result!.entries).toBe(s.result!.head.seq);
    expect(s.result!.head.seq).toBeGreaterThanOrEqual(40);
  });

  it("is the check GET ?full=true waits for", async () => {
    const r = await app.request("/api/v1/audit/verify?full=true", as(auditor));
    expect(r.status).toBe(200);
    expect(await r.json()).toMatchObject({ ok: true, mode: "full" });
    const s = (await (await app.request("/api/v1/audit/verify/full", as(auditor))).json()) as State;
    expect(s).toMatchObject({ run: 2, state: "held", result: { run: 2, ok: true } });
  });

  it("proves a head recorded earlier is still in the log, and says when it is not", async () => {
    const e = db.prepare("SELECT seq, hash FROM audit_log WHERE seq = 3").get() as { seq: number; hash: string };
    const { run } = await start();
    expect((await finished(run, `?seq=3&hash=${e.hash}`)).result).toMatchObject({ ok: true });
    const other = (await finished(run, `?seq=3&hash=${"ab".repeat(32)}`)).result!;
    expect(other).toMatchObject({ ok: false, broken: { seq: 3 }, error: { code: "AUDIT_CHAIN_BROKEN" } });
    const half = await app.request(`/api/v1/audit/verify/full?seq=3`, as(auditor));
    expect(half.status).toBe(400);
  });

  it("reports a store edited by hand as a failed check", async () => {
    const row = db.prepare("SELECT id, category FROM documents LIMIT 1").get() as { id: string; category: string };
    db.prepare("UPDATE documents SET category = 'signed_electronic' WHERE id = ?").run(row.id);
    try {
      const { run } = await start();
      const s = await finished(run);
      expect(s).toMatchObject({ state: "failed", result: { run, ok: false, error: { code: "FIGURES_DO_NOT_FOLLOW" } } });
    } finally {
      db.prepare("UPDATE documents SET category = ? WHERE id = ?").run(row.category, row.id);
    }
  });

  it("is the auditors' to start", async () => {
    expect((await app.request("/api/v1/audit/verify/full", as(viewer, "POST"))).status).toBe(403);
    expect((await app.request("/api/v1/audit/verify/full", as(viewer))).status).toBe(403);
  });
});
