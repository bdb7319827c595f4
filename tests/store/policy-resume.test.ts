// A policy change derives its documents again in batches after it (issue 27, point 3), as a directory
// change does: killed with SIGKILL mid-way, the server that opens the store next finishes it, with the
// figures of a change that was never interrupted; meanwhile the figures say they are being updated and
// the log's replay agrees with the store at every point. A server started with a policy that moves many
// documents answers at once and derives them after.
import { spawn } from "node:child_process";
import { cpSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyPolicy } from "../../src/lifecycle/index.js";
import { StoreBackgroundWork } from "../../src/queue/background-work.js";
import { embeddedBackground } from "../../src/queue/background-stores.js";
import { checkStore } from "../../src/store/sqlite/check.js";
import { openDb } from "../../src/store/sqlite/db.js";
import { pendingDerivations } from "../../src/store/sqlite/derivations.js";
import { policyRequests } from "../../src/store/sqlite/policy-change.js";
import { summary } from "../../src/store/read-model/figures.js";
import { sqliteReadModel } from "../../src/store/sqlite/read-model.js";
import { useTestClock } from "../helpers/clock.js";
import { ROOT } from "../helpers/paths.js";
import { MOVING, policyFigures, policyStore } from "../helpers/policy-store.js";

let restore: () => void;
beforeAll(() => (restore = useTestClock()));
afterAll(() => restore());

describe("a policy change derived in the background", () => {
  it("finishes after a SIGKILL mid-way with the figures of an uninterrupted change", async () => {
    const root = mkdtempSync(join(tmpdir(), "kyso-policy-resume-"));
    const base = join(root, "base");
    policyStore(base, 80).close();
    const whole = join(root, "whole");
    const killed = join(root, "killed");
    cpSync(base, whole, { recursive: true });
    cpSync(base, killed, { recursive: true });

    // the change uninterrupted
    const w = openDb(whole);
    applyPolicy(w, MOVING, "test");
    const want = await policyFigures(w, MOVING);
    expect(checkStore(w)).toMatchObject({ ok: true, figures: { ok: true } });
    w.close();

    // the same change, killed after its first batch
    const child = spawn(process.execPath, [join(ROOT, "tests", "helpers", "policy-change.mjs"), killed, JSON.stringify(MOVING)], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    await new Promise<void>((resolve) => {
      let out = "";
      child.stdout!.on("data", (d) => {
        out += String(d);
        if (/batch \d+/.test(out)) (child.kill("SIGKILL"), resolve());
      });
    });
    await new Promise((r) => child.once("exit", r));
    const k = openDb(killed);
    try {
      expect(policyRequests(k)).toHaveLength(1);
      const left = pendingDerivations(k);
      expect(left).toBeGreaterThan(0);
      // meanwhile the figures say they are being updated, and the replay takes the documents not reached
      // yet at the policy before
      expect((await summary(sqliteReadModel(k), { from: "2024-01-01", to: "2024-12-31" }, MOVING)).pendingDerivations).toBe(left);
      expect(checkStore(k)).toMatchObject({ ok: true, figures: { ok: true } });
      // the next server resumes it
      const work = new StoreBackgroundWork(embeddedBackground(k), () => {}, "test", 5);
      work.start();
      await work.idle();
      expect([pendingDerivations(k), policyRequests(k).length]).toEqual([0, 0]);
      expect(await policyFigures(k, MOVING)).toEqual(want);
      expect(checkStore(k)).toMatchObject({ ok: true, figures: { ok: true } });
    } finally {
      k.close();
    }
  }, 60_000);

  it("is worked after the server's start when the policy it is started with moves more than the inline bound", async () => {
    const { startServer } = await import("../../src/server.js");
    const { INLINE_DERIVATIONS } = await import("../../src/api/directory-routes.js");
    const root = mkdtempSync(join(tmpdir(), "kyso-policy-start-"));
    const base = join(root, "base");
    // four in five documents are validly signed: more of them than the server derives before it answers
    policyStore(base, Math.ceil(INLINE_DERIVATIONS * 1.5)).close();
    const inline = join(root, "inline");
    cpSync(base, inline, { recursive: true });
    const i = openDb(inline);
    applyPolicy(i, MOVING, "test");
    const want = await policyFigures(i, MOVING);
    i.close();

    const server = await startServer({
      dataDir: base,
      port: 0,
      host: "127.0.0.1",
      trustDirs: [],
      concurrency: 1,
      timeoutMs: 10_000,
      policy: MOVING,
      maxBodyBytes: 1 << 20,
      publishHeads: null,
    });
    try {
      expect(pendingDerivations(server.db)).toBeGreaterThan(0); // started before its documents were derived
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
      await server.derivations.idle();
      expect(pendingDerivations(server.db)).toBe(0);
      expect(await policyFigures(server.db, MOVING)).toEqual(want);
      expect(checkStore(server.db)).toMatchObject({ ok: true, figures: { ok: true } });
    } finally {
      await server.close();
    }
  }, 120_000);
});
