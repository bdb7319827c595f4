// The embedded store's background steps commit as the life-cycle port's do: redoable (synchronous=NORMAL,
// no wait for the disk inside the transaction, on the event loop) and then flushed from the thread pool.
// A step that committed with synchronous=FULL waited for an fsync on the event loop each time: at 600,000
// documents a directory change's derivation took ten times its work, and /healthz waited behind it.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { applyPolicy } from "../../src/lifecycle/index.js";
import { embeddedBackground } from "../../src/queue/background-stores.js";
import { pendingDerivations } from "../../src/store/sqlite/derivations.js";
import { MOVING, policyStore } from "../helpers/policy-store.js";

describe("the embedded store's background steps", () => {
  it("commit each derivation step redoable, then flush it off the event loop", async () => {
    const db = policyStore(join(mkdtempSync(join(tmpdir(), "kyso-bg-steps-")), "data"), 30);
    try {
      const { pending } = applyPolicy(db, MOVING, "test", { inlineUpTo: 0 });
      expect(pending).toBeGreaterThan(5);
      const modes: number[] = [];
      const prepare = db.prepare.bind(db);
      // the synchronous mode each transaction's statements run under, read as they are prepared
      const spy = vi.spyOn(db, "prepare").mockImplementation(((sql: string) => {
        if (db.inTransaction) modes.push(db.pragma("synchronous", { simple: true }) as number);
        return prepare(sql);
      }) as typeof db.prepare);
      const store = embeddedBackground(db);
      expect(await store.deriveNext(5, 100, "test")).toBe("policy");
      spy.mockRestore();
      expect(modes.length).toBeGreaterThan(0);
      expect(new Set(modes)).toEqual(new Set([1])); // NORMAL inside the step
      expect(db.pragma("synchronous", { simple: true })).toBe(2); // FULL again after it
      expect(pendingDerivations(db)).toBe(pending - 5);
    } finally {
      db.close();
    }
  });
});
