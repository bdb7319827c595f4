// `kyso backup DEST`: a copy made while the server runs and takes uploads is a store of its own: the log
// verifies, every document's PDF is there, the figures are those of the snapshot. It never writes into a
// folder that holds anything, and a store missing a PDF gives a copy that says so (exit 1).
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import Database from "better-sqlite3";
import { BlobStore } from "../../src/store/blobs.js";
import { ROOT } from "../helpers/paths.js";
import { startSampleServer, type SampleServer } from "../helpers/sample-server.js";

let s: SampleServer;
let dataDir = "";
const root = mkdtempSync(join(tmpdir(), "kyso-backup-"));
const kyso = (...args: string[]) => spawnSync(process.execPath, [join(ROOT, "bin", "kyso.js"), ...args], { encoding: "utf8" });

beforeAll(async () => {
  s = await startSampleServer(24, 43);
  dataDir = dirname(s.server.db.name);
}, 120_000);
afterAll(async () => {
  await s?.server.close();
  rmSync(root, { recursive: true, force: true });
});

describe("kyso backup", () => {
  it("copies a live store while uploads go on, and the copy checks out on its own", async () => {
    const dest = join(root, "copy");
    const backup = spawn(process.execPath, [join(ROOT, "bin", "kyso.js"), "backup", dest, "--data", dataDir], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    backup.stdout!.on("data", (d) => (out += String(d)));
    const exited = new Promise<number | null>((resolve) => backup.on("exit", resolve));
    // uploads during the backup: new rows and new blobs
    const extra = s.items.filter((i) => i.file).slice(0, 6);
    await Promise.all(
      extra.map(async (item, n) => {
        const form = new FormData();
        const pdf = Buffer.concat([readFileSync(join(s.sampleDir, item.file!)), Buffer.from(`\n% during backup ${n}\n`)]);
        form.set("file", new Blob([new Uint8Array(pdf)], { type: "application/pdf" }), "doc.pdf");
        for (const [k, v] of Object.entries({ ...item.meta, number: `${900 + n}/BK` })) form.set(k, v);
        expect((await s.as("ingest", "/api/v1/documents", { method: "POST", body: form })).status).toBe(202);
      }),
    );
    expect(await exited, out).toBe(0);
    expect(out).toMatch(
      /kyso backup: .* holds the database \(log head entry \d+\) and \d+ stored files .*; checked: integrity, log chain and signed heads, the figures replayed from the log, every file's SHA-256, \d+ documents' PDFs/,
    );
    const summary = JSON.parse(readFileSync(join(dest, "BACKUP.json"), "utf8"));
    expect(summary.checked).toBe(true);

    expect(kyso("audit", "verify", "--data", dest).status).toBe(0);
    const copied = JSON.parse(kyso("stats", "--from", "2024-01-01", "--to", "2024-12-31", "--json", "--data", dest).stdout);
    expect(copied.denominator).toBeGreaterThan(0);
    // every PDF the copy names is in it, byte for byte
    const db = new Database(join(dest, "kyso.db"), { readonly: true });
    const shas = (db.prepare("SELECT sha256 FROM documents WHERE sha256 IS NOT NULL").all() as Array<{ sha256: string }>).map((r) => r.sha256);
    db.close();
    const store = new BlobStore(join(dest, "blobs"));
    for (const sha of shas) expect(readFileSync(store.pathOf(sha)).equals(readFileSync(new BlobStore(join(dataDir, "blobs")).pathOf(sha)))).toBe(true);
    expect(existsSync(join(dest, "blobs", "tmp"))).toBe(true); // a usable store: its BlobStore made the folder
    // the instance key comes along (a restore signs on with it), readable by its owner only
    expect(readFileSync(join(dest, "log-key.pem"), "utf8")).toBe(readFileSync(join(dataDir, "log-key.pem"), "utf8"));
    expect(statSync(join(dest, "log-key.pem")).mode & 0o777).toBe(0o600);
  }, 60_000);

  it("never writes into a folder that holds anything but an earlier backup", () => {
    const dest = join(root, "full");
    mkdirSync(dest);
    writeFileSync(join(dest, "precious.txt"), "keep");
    const r = kyso("backup", dest, "--data", dataDir);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/exists and is neither empty nor an earlier kyso backup .*: a backup never overwrites/);
    expect(readFileSync(join(dest, "precious.txt"), "utf8")).toBe("keep");
  });

  it("says so when the store it copies has lost a PDF", () => {
    const first = join(root, "first");
    expect(kyso("backup", first, "--data", dataDir).status).toBe(0);
    const db = new Database(join(first, "kyso.db"), { readonly: true });
    const row = db.prepare("SELECT id, sha256 FROM documents WHERE sha256 IS NOT NULL LIMIT 1").get() as { id: string; sha256: string };
    db.close();
    rmSync(new BlobStore(join(first, "blobs")).pathOf(row.sha256));
    const r = kyso("backup", join(root, "second"), "--data", first);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain(`document ${row.id}: its PDF (${row.sha256}) is not in the copy`);
    expect(JSON.parse(readFileSync(join(root, "second", "BACKUP.json"), "utf8")).checked).toBe(false);
  });

  it("says so when a stored PDF was swapped for another or emptied", () => {
    const first = join(root, "swapped");
    expect(kyso("backup", first, "--data", dataDir).status).toBe(0);
    const db = new Database(join(first, "kyso.db"), { readonly: true });
    const [a, b] = db.prepare("SELECT sha256 FROM documents WHERE sha256 IS NOT NULL LIMIT 2").all() as Array<{ sha256: string }>;
    db.close();
    const store = new BlobStore(join(first, "blobs"));
    writeFileSync(store.pathOf(a!.sha256), readFileSync(store.pathOf(b!.sha256))); // a's name, b's bytes
    writeFileSync(store.pathOf(b!.sha256), ""); // emptied
    const r = kyso("backup", join(root, "swapped-copy"), "--data", first);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(
      new RegExp(`stored file ${a!.sha256.slice(0, 2)}/${a!.sha256}: its content's SHA-256 is ${b!.sha256}: the file was replaced or damaged`),
    );
    expect(r.stdout).toMatch(new RegExp(`stored file ${b!.sha256.slice(0, 2)}/${b!.sha256}: its content's SHA-256 is e3b0c442`));
  });
});
