// A running kyso (embedded runner) on a temporary data folder with a small sample province uploaded and
// analyzed, and one API key per role plus a revoked one. The API tests share it.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEFAULT_POLICY } from "../../src/compliance/index.js";
import { startServer, type RunningServer, type ServerOptions } from "../../src/server.js";
import { createKey, revokeKey, type Role } from "../../src/store/sqlite/keys.js";
import { AGENCIES_CSV, generateSample, SAMPLE_TRUST, type SampleItem } from "../../fixtures/sample/generate.js";

export interface SampleServer {
  server: RunningServer;
  keys: Record<Role | "revoked", string>;
  items: SampleItem[];
  sampleDir: string;
  /** a request with the key of this role (none: no Authorization header) */
  as(role: Role | "revoked" | "none", path: string, init?: RequestInit): Promise<Response>;
}

/** `extra`: options of the server beside the sample's (a port, sign-in settings). */
export async function startSampleServer(documents = 24, seed = 11, extra: Partial<ServerOptions> = {}): Promise<SampleServer> {
  const root = mkdtempSync(join(tmpdir(), "kyso-api-"));
  const sampleDir = join(root, "sample");
  const items = generateSample(sampleDir, { documents, seed });
  const server = await startServer({
    dataDir: join(root, "data"),
    port: 0,
    host: "127.0.0.1",
    trustDirs: [SAMPLE_TRUST],
    concurrency: 2,
    timeoutMs: 20_000,
    policy: DEFAULT_POLICY,
    maxBodyBytes: 50 << 20,
    ...extra,
  });
  const keys = {
    ingest: createKey(server.db, "ingest", "document system", "test").key,
    viewer: createKey(server.db, "viewer", "leadership", "test").key,
    auditor: createKey(server.db, "auditor", "inspectorate", "test").key,
    admin: createKey(server.db, "admin", "IT department", "test").key,
    revoked: "",
  };
  const old = createKey(server.db, "admin", "a departed administrator", "test");
  revokeKey(server.db, old.id, "test");
  keys.revoked = old.key;
  const as: SampleServer["as"] = (role, path, init = {}) =>
    fetch(`${server.url}${path}`, {
      ...init,
      headers: { ...(init.headers as Record<string, string>), ...(role === "none" ? {} : { authorization: `Bearer ${keys[role]}` }) },
    });
  const put = await as("admin", "/api/v1/agencies", { method: "PUT", headers: { "content-type": "text/csv" }, body: readFileSync(AGENCIES_CSV) });
  if (put.status !== 200) throw new Error(`agencies: ${put.status}`);
  for (const item of items.filter((i) => i.file)) {
    const form = new FormData();
    form.set("file", new Blob([readFileSync(join(sampleDir, item.file!))], { type: "application/pdf" }), "doc.pdf");
    for (const [k, v] of Object.entries(item.meta)) form.set(k, v);
    const r = await as("ingest", "/api/v1/documents", { method: "POST", body: form });
    if (r.status !== 202) throw new Error(`upload: ${r.status} ${await r.text()}`);
  }
  const paper = items.filter((i) => !i.file).map((i) => i.meta);
  if (paper.length) await as("ingest", "/api/v1/exchanges", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(paper) });
  await server.runner.idle();
  return { server, keys, items, sampleDir, as };
}
