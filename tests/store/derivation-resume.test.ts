// A directory change derives its documents again in batches after it (issue 27, point 3): killed with
// SIGKILL mid-way, the server that opens the store next finishes it, with the same figures and the same
// log replay as a change that was never interrupted; meanwhile the figures say they are being updated.
import { spawn } from "node:child_process";
import { cpSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DEFAULT_POLICY } from "../../src/compliance/index.js";
import { submit, updateDirectory } from "../../src/lifecycle/index.js";
import { StoreBackgroundWork } from "../../src/queue/background-work.js";
import { embeddedBackground } from "../../src/queue/background-stores.js";
import { checkStore } from "../../src/store/sqlite/check.js";
import { openDb, type Db } from "../../src/store/sqlite/db.js";
import { pendingDerivations } from "../../src/store/sqlite/derivations.js";
import { summary } from "../../src/store/read-model/figures.js";
import { sqliteReadModel } from "../../src/store/sqlite/read-model.js";
import { ROOT } from "../helpers/paths.js";

const admin = (code: string, more: Record<string, unknown> = {}) => ({ code, name: `Cơ quan ${code}`, parent: null, kind: "administrative", ...more });
// the 2025 reorganisation in small: H53.10 ends and H53.12 takes over; H53.11 is no longer administrative
const CHANGE = [admin("H53.10", { validTo: "2024-07-01", successor: "H53.12" }), admin("H53.12"), { ...admin("H53.11"), kind: "public-service" }];

async function figures(db: Db) {
  const s = await summary(sqliteReadModel(db), { from: "2024-01-01", to: "2024-12-31" }, DEFAULT_POLICY);
  const rows = db.prepare("SELECT id, category, agency, counts FROM documents ORDER BY id").all();
  return { byCategory: s.byCategory, denominator: s.denominator, numerator: s.numerator, rows };
}

describe("a directory change derived in the background", () => {
  it("finishes after a SIGKILL mid-way with the figures of an uninterrupted change", async () => {
    const root = mkdtempSync(join(tmpdir(), "kyso-derive-"));
    const base = join(root, "base");
    const db = openDb(base);
    updateDirectory(db, [admin("H53.01"), admin("H53.10"), admin("H53.11")], "test");
    db.transaction(() => {
      for (let i = 0; i < 400; i++) {
        const sender = i % 2 ? "H53.10" : "H53.11";
        submit(
          db,
          {
            kind: "document",
            source: "register",
            meta: {
              sender,
              recipients: ["H53.01"],
              number: `${i}/CV`,
              issuedDate: `2024-${String((i % 12) + 1).padStart(2, "0")}-15`,
              receivedAt: "2024-01-01T00:00:00Z",
              classification: "none",
              channel: "paper",
            },
            file: null,
          },
          "test",
        );
      }
    })();
    db.close();
    const whole = join(root, "whole");
    const killed = join(root, "killed");
    cpSync(base, whole, { recursive: true });
    cpSync(base, killed, { recursive: true });

    // the change uninterrupted
    const w = openDb(whole);
    updateDirectory(w, CHANGE as never, "test");
    const want = await figures(w);
    expect(checkStore(w)).toMatchObject({ ok: true });
    w.close();
    expect(want.byCategory.excluded).toBe(200); // H53.11's documents left the KPI

    // the same change, killed after its first batch
    const child = spawn(process.execPath, [join(ROOT, "tests", "helpers", "directory-change.mjs"), killed, JSON.stringify(CHANGE)], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    await new Promise<void>((resolve) => {
      let out = "";
      child.stdout!.on("data", (d) => {
        out += String(d);
        // the first batch finds the change's 400 documents (the walk), the next derive them
        if ([...out.matchAll(/batch (\d+)/g)].some((m) => Number(m[1]) < 400)) (child.kill("SIGKILL"), resolve());
      });
    });
    await new Promise((r) => child.once("exit", r));
    const k = openDb(killed);
    try {
      const left = pendingDerivations(k);
      expect(left).toBeGreaterThan(0);
      expect(left).toBeLessThan(400);
      // meanwhile the figures say they are being updated, and the replay leaves those documents to it
      expect((await summary(sqliteReadModel(k), { from: "2024-01-01", to: "2024-12-31" }, DEFAULT_POLICY)).pendingDerivations).toBe(left);
      expect(checkStore(k)).toMatchObject({ ok: true, figures: { ok: true } });
      // the next server resumes it
      const runner = new StoreBackgroundWork(embeddedBackground(k));
      runner.start();
      await runner.idle();
      expect(pendingDerivations(k)).toBe(0);
      expect(await figures(k)).toEqual(want);
      expect(checkStore(k)).toMatchObject({ ok: true, figures: { ok: true } });
    } finally {
      k.close();
    }
  }, 60_000);

  it("records a change at once whatever the store's size, finds its documents a slice at a time, and resumes a walk stopped mid-way", async () => {
    const { expandRequest, derivationRequestCodes } = await import("../../src/store/sqlite/lifecycle.js");
    const { deriveAllWaiting } = await import("../../src/lifecycle/rederive.js");
    const root = mkdtempSync(join(tmpdir(), "kyso-walk-"));
    const fill = (dir: string) => {
      const db = openDb(dir);
      updateDirectory(db, [admin("H53.01"), admin("H53.10"), admin("H53.11")], "test");
      db.transaction(() => {
        for (let i = 0; i < 300; i++)
          submit(
            db,
            {
              kind: "document",
              source: "register",
              meta: {
                sender: ["H53.10", "H53.11", "H53.01"][i % 3]!,
                recipients: [i % 3 === 2 ? "H53.11" : "H53.01"],
                number: `${i}/W`,
                issuedDate: "2024-03-15",
                receivedAt: "2024-01-01T00:00:00Z",
                classification: "none",
                channel: "paper",
              },
              file: null,
            },
            "test",
          );
      })();
      return db;
    };
    fill(join(root, "base")).close();
    for (const d of ["whole", "walked"]) cpSync(join(root, "base"), join(root, d), { recursive: true });
    const whole = openDb(join(root, "whole"));
    updateDirectory(whole, CHANGE as never, "test");
    const want = await figures(whole);
    whole.close();

    const db = openDb(join(root, "walked"));
    // the change's own transaction queues no document: the walk finds them after it
    updateDirectory(db, CHANGE as never, "test", { inlineUpTo: 0 });
    expect(db.prepare("SELECT count(*) n FROM pending_derivations").get()).toEqual({ n: 0 });
    expect(derivationRequestCodes(db)).toEqual([["H53.10", "H53.11", "H53.12"]]);
    expect(pendingDerivations(db)).toBe(1); // the figures say they are being updated already
    // the walk stopped after two slices of 50 documents, as by a crash: the replay leaves every document the
    // change concerns to it, found or not, and holds
    expect(expandRequest(db, 50)).toBe(true);
    expect(expandRequest(db, 50)).toBe(true);
    const found = (db.prepare("SELECT count(*) n FROM pending_derivations").get() as { n: number }).n;
    expect(found).toBeGreaterThan(0);
    expect(found).toBeLessThan(300);
    expect(checkStore(db)).toMatchObject({ ok: true, figures: { ok: true } });
    // the next start resumes where the walk stood, and ends as the change uninterrupted
    deriveAllWaiting(db, "test");
    expect(derivationRequestCodes(db)).toEqual([]);
    expect(pendingDerivations(db)).toBe(0);
    expect(await figures(db)).toEqual(want);
    expect(checkStore(db)).toMatchObject({ ok: true, figures: { ok: true } });
    db.close();
  }, 60_000);

  it("answers a large change through the API at once, and derives its documents after it while /healthz answers", async () => {
    const { startServer } = await import("../../src/server.js");
    const { createKey } = await import("../../src/store/sqlite/keys.js");
    const { INLINE_DERIVATIONS } = await import("../../src/api/directory-routes.js");
    const dir = mkdtempSync(join(tmpdir(), "kyso-derive-api-"));
    const db = openDb(dir);
    updateDirectory(db, [admin("H53.01"), admin("H53.10"), admin("H53.11")], "test");
    const n = INLINE_DERIVATIONS + 500;
    db.transaction(() => {
      for (let i = 0; i < n; i++)
        submit(
          db,
          {
            kind: "document",
            source: "register",
            meta: {
              sender: "H53.11",
              recipients: ["H53.01"],
              number: `${i}/API`,
              issuedDate: "2024-05-15",
              receivedAt: "2024-01-01T00:00:00Z",
              classification: "none",
              channel: "paper",
            },
            file: null,
          },
          "test",
        );
    })();
    const key = createKey(db, "admin", "test", "test").key;
    db.close();
    const server = await startServer({
      dataDir: dir,
      port: 0,
      host: "127.0.0.1",
      trustDirs: [],
      concurrency: 1,
      timeoutMs: 10_000,
      policy: DEFAULT_POLICY,
      maxBodyBytes: 1 << 20,
      publishHeads: null,
    });
    try {
      const put = await fetch(`${server.url}/api/v1/agencies`, {
        method: "PUT",
        headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
        body: JSON.stringify([{ ...admin("H53.11"), kind: "public-service" }]),
      });
      const body = (await put.json()) as { updated: number; pendingDerivations: number };
      expect(put.status).toBe(200);
      expect(body.pendingDerivations).toBeGreaterThan(0); // answered before its documents were derived
      const metrics = await (await fetch(`${server.url}/metrics`)).text();
      expect(metrics).toMatch(/^kyso_derivations_pending \d+$/m);
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
      await server.derivations.idle();
      const s = (await (
        await fetch(`${server.url}/api/v1/stats/summary?from=2024-01-01&to=2024-12-31`, { headers: { authorization: `Bearer ${key}` } })
      ).json()) as { byCategory: Record<string, number>; pendingDerivations: number };
      expect([s.byCategory.excluded, s.pendingDerivations]).toEqual([n, 0]);
      expect(checkStore(server.db)).toMatchObject({ ok: true, figures: { ok: true } });
    } finally {
      await server.close();
    }
  }, 60_000);

  it("walks at most two slices of the request's size in the request, the rest after it", async () => {
    const { fewQueued } = await import("../../src/lifecycle/rederive.js");
    const { runOn } = await import("../../src/store/sqlite/document-tx.js");
    const db = openDb(mkdtempSync(join(tmpdir(), "kyso-derive-few-")));
    updateDirectory(db, [admin("H53.01"), admin("H53.10"), admin("H53.11")], "test");
    const meta = (i: number) => ({
      sender: "H53.11",
      recipients: ["H53.01"],
      number: `${i}/FEW`,
      issuedDate: "2024-05-15",
      receivedAt: "2024-01-01T00:00:00Z",
      classification: "none" as const,
      channel: "paper" as const,
    });
    db.transaction(() => {
      for (let i = 0; i < 2500; i++) submit(db, { kind: "document", source: "register", meta: meta(i), file: null }, "test");
    })();
    updateDirectory(db, [admin("H53.01"), admin("H53.10"), { ...admin("H53.11"), kind: "public-service" }], "test", { inlineUpTo: -1 });
    expect(db.transaction(() => runOn(db, fewQueued(1000)))()).toBe(false);
    // two slices of 1,000 walked; the walk's place kept for the background
    const at = db.prepare("SELECT after_id FROM derivation_requests").get() as { after_id: string };
    expect((db.prepare("SELECT count(*) n FROM documents WHERE id <= ?").get(at.after_id) as { n: number }).n).toBe(2000);
    expect(pendingDerivations(db)).toBe(2000 + 1);
    db.close();
  });
});
