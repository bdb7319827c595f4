// GET /api/v1/audit/verify checks from the newest head the server verified (issue 27, point 4): the first
// check is full, the next ones check the log's consistency with that head and the entries since; a log
// rewritten before that head fails it; ?full=true runs the whole check, which also re-reads every old entry.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { submit } from "../../src/lifecycle/index.js";
import { openDb } from "../../src/store/sqlite/db.js";
import { createKey } from "../../src/store/sqlite/keys.js";
import { paperRow } from "../helpers/paper-row.js";
import { embeddedApp } from "../helpers/embedded-app.js";

const paper = (n: number) => paperRow({ number: `${n}/CV` });

describe("the audit check from the last verified head", () => {
  const db = openDb(mkdtempSync(join(tmpdir(), "kyso-since-api-")));
  const key = createKey(db, "auditor", "since", "test").key;
  const app = embeddedApp(db);
  const verify = async (query = "") => {
    const r = await app.request(`/api/v1/audit/verify${query}`, { headers: { authorization: `Bearer ${key}` } });
    return {
      status: r.status,
      body: (await r.json()) as {
        ok: boolean;
        mode: string;
        since: number | null;
        entries: number;
        head: { seq: number };
        fullCheck: { ok: boolean } | null;
        broken?: { seq: number; reason: string };
      },
    };
  };
  for (let i = 0; i < 40; i++) submit(db, paper(i), "test");

  it("checks the whole store first, then only what was added since the head it verified", async () => {
    const first = await verify();
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ ok: true, mode: "full", since: null, fullCheck: { ok: true } });
    const size = first.body.head.seq;
    expect(first.body.entries).toBe(size);
    for (let i = 40; i < 43; i++) submit(db, paper(i), "test");
    const next = await verify();
    expect(next.status).toBe(200);
    expect(next.body).toMatchObject({ ok: true, mode: "since", since: size });
    // three documents added: their entries, not the whole log again
    expect(next.body.entries).toBe(next.body.head.seq - size);
    expect(next.body.entries).toBeGreaterThan(0);
    expect(next.body.entries).toBeLessThan(size);
    // the full check on request
    expect((await verify("?full=true")).body).toMatchObject({ ok: true, mode: "full", entries: next.body.head.seq });
  });

  it("replays an old document given an analysis since the head, though no new entry names it", async () => {
    const head = (await verify()).body.head.seq;
    const old = db.prepare("SELECT id FROM documents ORDER BY created_at LIMIT 1").get() as { id: string };
    db.prepare(
      "INSERT INTO analyses (document_id, engine, trust_store, validation_time, duration_ms, report, created_at) VALUES (?, 'x', 'x', '2024-01-01T00:00:00Z', 1, '{}', '2024-01-01T00:00:00Z')",
    ).run(old.id);
    const r = await verify();
    expect(r.status).toBe(409);
    expect(r.body).toMatchObject({ ok: false, mode: "since", since: head });
    expect(JSON.stringify(r.body)).toMatch(/no log entry records this analysis/);
    db.prepare("DELETE FROM analyses WHERE document_id = ?").run(old.id);
  });

  it("fails when an entry before the verified head was rewritten, and checks in full after a failure", async () => {
    const head = (await verify()).body.head.seq;
    // an old entry rewritten with a hash of its own: the stored tree no longer gives the verified head's root
    db.prepare("UPDATE audit_log SET hash = ? WHERE seq = 5").run("ab".repeat(32));
    db.prepare("DELETE FROM audit_tree").run();
    submit(db, paper(99), "test");
    const r = await verify();
    expect(r.status).toBe(409);
    expect(r.body).toMatchObject({ ok: false, mode: "since", since: head });
    expect(r.body.broken!.reason).toMatch(/root|rewritten|consisten/i);
    // a failed check forgets the head: the next one is full, and names the rewritten entry
    const again = await verify();
    expect(again.status).toBe(409);
    expect(again.body.mode).toBe("full");
    expect(again.body.broken!.seq).toBeLessThanOrEqual(5);
  });
});
