// `kyso keys`: a key is printed once and works; only its hash is stored; list shows roles and status;
// revoke stops the key at once; bad input is one clear line and exit code 2. Both actions are logged.
import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { openDb } from "../../src/store/sqlite/db.js";
import { authenticate } from "../../src/store/sqlite/keys.js";
import { ROOT } from "../helpers/paths.js";

function sink(): Writable & { text: string } {
  const w = new Writable({
    write(chunk, _e, cb) {
      (w as unknown as { text: string }).text += String(chunk);
      cb();
    },
  }) as Writable & { text: string };
  w.text = "";
  return w;
}
async function kyso(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out = sink();
  const err = sink();
  const code = await main(args, out, err);
  return { code, out: out.text, err: err.text };
}

describe("kyso keys", () => {
  const data = mkdtempSync(join(tmpdir(), "kyso-keys-"));

  it("creates a key that authenticates with its role, storing only a hash", async () => {
    const r = await kyso("keys", "create", "--role", "auditor", "--label", "Thanh tra tỉnh", "--data", data);
    expect(r.code).toBe(0);
    const key = r.out.trim();
    expect(key).toMatch(/^kyso_[0-9a-f]{12}_[A-Za-z0-9_-]{32}$/);
    const db = openDb(data);
    try {
      expect(authenticate(db, key)?.role).toBe("auditor");
      const row = db.prepare("SELECT * FROM api_keys").get() as Record<string, string>;
      expect(JSON.stringify(row)).not.toContain(key.split("_")[2]);
      expect(row.hash).toMatch(/^[0-9a-f]{64}$/);
      const entry = db.prepare("SELECT actor, action, details FROM audit_log WHERE action = 'key-create'").get() as { actor: string; details: string };
      expect(entry.actor).toMatch(/^cli:/);
      expect(entry.details).not.toContain(key.split("_")[2]);
    } finally {
      db.close();
    }
  });

  it("lists keys and revokes one at once", async () => {
    const created = (await kyso("keys", "create", "--role", "ingest", "--label", "document system", "--data", data)).out.trim();
    const id = created.split("_")[1]!;
    const list = await kyso("keys", "list", "--data", data);
    expect(list.out).toMatch(new RegExp(`${id}\\s+ingest\\s+\\S+\\s+active\\s+document system`));
    expect(list.out).not.toContain(created);
    expect((await kyso("keys", "revoke", id, "--data", data)).code).toBe(0);
    expect((await kyso("keys", "list", "--data", data)).out).toMatch(new RegExp(`${id}\\s+ingest\\s+\\S+\\s+revoked`));
    const db = openDb(data);
    try {
      expect(authenticate(db, created)).toBeNull();
      expect(db.prepare("SELECT count(*) n FROM audit_log WHERE action = 'key-revoke'").get()).toEqual({ n: 1 });
    } finally {
      db.close();
    }
    const again = await kyso("keys", "revoke", id, "--data", data);
    expect([again.code, again.err]).toEqual([2, expect.stringContaining(`no active key '${id}'`)]);
  });

  it("refuses a bad role or a missing label with exit code 2", async () => {
    const bad = await kyso("keys", "create", "--role", "root", "--label", "x", "--data", data);
    expect([bad.code, bad.err]).toEqual([2, expect.stringContaining("--role must be one of ingest, viewer, auditor, admin")]);
    const nolabel = await kyso("keys", "create", "--role", "viewer", "--data", data);
    expect(nolabel.code).toBe(2);
    expect((await kyso("keys", "list", "--data", join(data, "nowhere"))).err).toContain("no kyso store");
  });

  it("has help that names the roles", async () => {
    const h = await kyso("help", "keys");
    expect(h.out).toContain("auditor   what a viewer sees");
  });
});

describe("kyso keys create --sender", () => {
  it("binds an ingest key to sender agencies, lists them, and refuses to bind another role", () => {
    const data = join(mkdtempSync(join(tmpdir(), "kyso-keys-sender-")), "data");
    const k = (...a: string[]) => spawnSync(process.execPath, [join(ROOT, "bin", "kyso.js"), "keys", ...a, "--data", data], { encoding: "utf8" });
    const made = k("create", "--role", "ingest", "--label", "Sở Nội vụ", "--sender", "H53.02", "--sender", "H53.21,H53.22");
    expect(made.status, made.stderr).toBe(0);
    expect(made.stderr).toMatch(/for H53\.02, H53\.21, H53\.22 only/);
    expect(k("list").stdout).toMatch(/Sở Nội vụ \(senders: H53\.02, H53\.21, H53\.22\)/);
    const bad = k("create", "--role", "viewer", "--label", "x", "--sender", "H53.02");
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--sender binds an ingest key only/);
  });
});
