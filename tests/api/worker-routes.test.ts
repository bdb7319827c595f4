// The worker routes: several stored PDFs in one response, read back by the worker's client exactly as
// stored, in request order, with a missing one standing as an error of its own; large batches streamed.
import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_POLICY } from "../../src/compliance/index.js";
import { BLOB_LENGTHS_HEADER, MAX_BLOBS_PER_REQUEST } from "../../src/api/worker-routes.js";
import { fetchBlobs } from "../../src/queue/fetch-blob.js";
import { BlobStore } from "../../src/store/blobs.js";
import { createKey } from "../../src/store/sqlite/keys.js";
import { startServer, type RunningServer } from "../../src/server.js";

let root = "";
let server: RunningServer;
let key = "";
let blobs: BlobStore;
const sha = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), "kyso-worker-routes-"));
  server = await startServer({
    dataDir: root,
    port: 0,
    host: "127.0.0.1",
    trustDirs: [],
    concurrency: 1,
    timeoutMs: 10_000,
    policy: DEFAULT_POLICY,
    maxBodyBytes: 50 << 20,
  });
  key = createKey(server.db, "ingest", "workers", "test").key;
  blobs = new BlobStore(join(root, "blobs"));
});

afterAll(async () => {
  await server.close();
  rmSync(root, { recursive: true, force: true });
});

describe("POST /api/v1/internal/blobs", () => {
  it("returns each PDF as stored, in request order, and a missing one as an error of its own", async () => {
    const stored = [randomBytes(1000), randomBytes(1), randomBytes(70_000)].map((b) => new Uint8Array(b));
    for (const b of stored) blobs.put(b);
    const missing = "ab".repeat(32);
    const got = await fetchBlobs(server.url, [sha(stored[2]!), missing, sha(stored[0]!), sha(stored[1]!)], key);
    expect(got[0]).toEqual(stored[2]);
    expect(got[1]).toBeInstanceOf(Error);
    expect((got[1] as Error).message).toMatch(/HTTP 404/);
    expect(got[2]).toEqual(stored[0]);
    expect(got[3]).toEqual(stored[1]);
    // each has a buffer of its own (it is moved to the analysis thread whole)
    for (const b of [got[0], got[2], got[3]] as Uint8Array[]) expect(b.byteLength).toBe(b.buffer.byteLength);
  });

  it("streams batches larger than what it sends in one piece, with the same lengths", async () => {
    const big = [new Uint8Array(randomBytes(5 << 20)), new Uint8Array(randomBytes(6 << 20))];
    for (const b of big) blobs.put(b);
    const res = await fetch(`${server.url}/api/v1/internal/blobs`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify({ sha256: big.map(sha) }),
    });
    expect(res.headers.get(BLOB_LENGTHS_HEADER)).toBe(`${5 << 20},${6 << 20}`);
    await res.arrayBuffer();
    const got = await fetchBlobs(server.url, big.map(sha), key);
    expect(got.map((b) => sha(b as Uint8Array))).toEqual(big.map(sha));
  });

  it("refuses what is not a short list of SHA-256", async () => {
    const post = (body: unknown) =>
      fetch(`${server.url}/api/v1/internal/blobs`, {
        method: "POST",
        headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    for (const body of [{ sha256: [] }, { sha256: ["../../etc/passwd"] }, { sha256: Array(MAX_BLOBS_PER_REQUEST + 1).fill("a".repeat(64)) }, {}]) {
      const r = await post(body);
      expect(r.status, JSON.stringify(body).slice(0, 60)).toBe(400);
    }
  });

  it("gives the single-PDF route the same bytes", async () => {
    const b = new Uint8Array(randomBytes(3000));
    blobs.put(b);
    const get = (h: string) => fetch(`${server.url}/api/v1/internal/blobs/${h}`, { headers: { authorization: `Bearer ${key}` } });
    expect(new Uint8Array(await (await get(sha(b))).arrayBuffer())).toEqual(b);
    expect((await get("cd".repeat(32))).status).toBe(404);
  });
});
