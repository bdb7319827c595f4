// The same document (sender, number and issue date) uploaded again with other bytes: it counts once, and
// the other file is neither refused nor dropped unseen: it is kept, logged as `another-file`, and the 202
// says so. Before, the answer said `existing: true` with the new file's hash while the file was left
// unreferenced and nothing recorded it.
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { AGENCIES_CSV, SAMPLE_TRUST } from "../../fixtures/sample/generate.js";
import { DEFAULT_POLICY } from "../../src/compliance/index.js";
import { startServer, type RunningServer } from "../../src/server.js";
import { createKey } from "../../src/store/sqlite/keys.js";
import { replayFigures } from "../../src/store/sqlite/check.js";

let server: RunningServer;
let key: string;
let dataDir: string;
beforeAll(async () => {
  dataDir = join(mkdtempSync(join(tmpdir(), "kyso-another-")), "data");
  server = await startServer({
    dataDir,
    port: 0,
    host: "127.0.0.1",
    trustDirs: [SAMPLE_TRUST],
    concurrency: 1,
    timeoutMs: 20_000,
    policy: DEFAULT_POLICY,
    publishHeads: null,
    maxBodyBytes: 50 << 20,
  });
  key = createKey(server.db, "admin", "test", "test").key;
  await fetch(`${server.url}/api/v1/agencies`, {
    method: "PUT",
    headers: { authorization: `Bearer ${key}`, "content-type": "text/csv" },
    body: readFileSync(AGENCIES_CSV),
  });
}, 60_000);
afterAll(async () => server?.close());

const upload = async (bytes: string) => {
  const form = new FormData();
  form.set("file", new Blob([bytes]), "cv.pdf");
  for (const [k, v] of Object.entries({ sender: "H53.03", recipients: "H53.02", number: "15/STP-VP", issuedDate: "2024-04-02" })) form.set(k, v);
  const r = await fetch(`${server.url}/api/v1/documents`, { method: "POST", headers: { authorization: `Bearer ${key}` }, body: form });
  expect(r.status).toBe(202);
  return (await r.json()) as { id: string; sha256: string; existing: boolean; note?: string };
};
const anotherFile = () =>
  server.db.prepare("SELECT document_id, details FROM audit_log WHERE action = 'another-file' ORDER BY seq").all() as Array<{
    document_id: string;
    details: string;
  }>;

it("counts the document once, keeps and logs the other file, and says so", async () => {
  const first = await upload("%PDF-1.7 the first copy");
  expect(first.existing).toBe(false);
  const again = await upload("%PDF-1.7 the first copy");
  expect([again.id, again.existing, again.note]).toEqual([first.id, true, undefined]);
  expect(anotherFile()).toEqual([]); // the same bytes again are simply the same document

  const other = await upload("%PDF-1.7 a copy made again, other bytes");
  expect([other.id, other.existing]).toEqual([first.id, true]);
  expect(other.note).toMatch(/recorded with another file: this one is kept and logged, not counted again/);
  const logged = anotherFile();
  expect(logged).toHaveLength(1);
  expect(logged[0]!.document_id).toBe(first.id);
  expect(JSON.parse(logged[0]!.details)).toMatchObject({ sha256: other.sha256, recorded: first.sha256, source: "upload", kind: "pdf" });
  // the file is on disk under its hash; the document keeps the file it was recorded with
  expect(existsSync(join(dataDir, "blobs", other.sha256.slice(0, 2), other.sha256))).toBe(true);
  const doc = (await (await fetch(`${server.url}/api/v1/documents/${first.id}`, { headers: { authorization: `Bearer ${key}` } })).json()) as { sha256: string };
  expect(doc.sha256).toBe(first.sha256);
  const count = server.db.prepare("SELECT count(*) n FROM documents WHERE number = '15/STP-VP'").get() as { n: number };
  expect(count.n).toBe(1);
  // the figures still replay from the log
  await server.runner.idle();
  expect(replayFigures(server.db).broken).toBeNull();
}, 60_000);
