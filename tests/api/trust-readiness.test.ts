// Trust shown (issue 25, point 6): /readyz says which trust store the server uses, its roots by name, and
// how many stored reports another trust store made, with a warning, when a server is started without the
// trust folder its reports used; the store still answers ready and refuses nothing. A new analysis under
// the server's store takes a document out of the count (it counts current reports, not every analysis).
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DEFAULT_POLICY } from "../../src/compliance/index.js";
import { loadTrustStore } from "../../src/config.js";
import { trustView } from "../../src/api/report-trust.js";
import type { TrustState } from "../../src/api/trust-state.js";
import { startServer, type RunningServer } from "../../src/server.js";
import { createKey } from "../../src/store/sqlite/keys.js";
import { FIXTURES, ROOT } from "../helpers/paths.js";

const FIXTURE_TRUST = join(ROOT, "fixtures", "trust");
const AGENCIES = [
  { code: "000.00.00.H53", name: "Ủy ban nhân dân tỉnh Tây Ninh", parent: null, kind: "administrative" },
  { code: "000.00.01.H53", name: "Sở Tài chính tỉnh Tây Ninh", parent: "000.00.00.H53", kind: "administrative" },
];
const dataDir = mkdtempSync(join(tmpdir(), "kyso-trust-"));
let running: RunningServer | null = null;
afterAll(async () => running?.close());

async function start(trustDirs: string[]) {
  await running?.close();
  const s = await startServer({
    dataDir,
    port: 0,
    host: "127.0.0.1",
    trustDirs,
    concurrency: 1,
    timeoutMs: 20_000,
    policy: DEFAULT_POLICY,
    maxBodyBytes: 50 << 20,
    publishHeads: null,
  });
  running = s;
  const admin = createKey(s.db, "admin", "test", "test").key;
  const as = (path: string, init: RequestInit = {}) =>
    fetch(`${s.url}${path}`, { ...init, headers: { ...(init.headers as Record<string, string>), authorization: `Bearer ${admin}` } });
  const ready = async () => {
    const r = await fetch(`${s.url}/readyz`);
    return { status: r.status, body: (await r.json()) as { status: string; trust: TrustState } };
  };
  return { s, as, ready };
}

describe("the trust store the stored reports were made under", () => {
  let id = "";
  const fixtureStore = trustView(loadTrustStore([FIXTURE_TRUST]));
  const defaultStore = trustView(loadTrustStore([]));

  it("is the server's own: /readyz names its roots and counts the report as made under it", async () => {
    const { s, as, ready } = await start([FIXTURE_TRUST]);
    expect((await as("/api/v1/agencies", { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify(AGENCIES) })).status).toBe(200);
    const form = new FormData();
    form.set("file", new Blob([readFileSync(join(FIXTURES, "signed-cades-rsa-sha256.pdf"))], { type: "application/pdf" }), "a.pdf");
    for (const [k, v] of Object.entries({ sender: "000.00.01.H53", recipients: "000.00.00.H53", number: "1/QĐ-STC", issuedDate: "2024-06-15" })) form.set(k, v);
    id = ((await (await as("/api/v1/documents", { method: "POST", body: form })).json()) as { id: string }).id;
    await s.runner.idle();
    const r = await ready();
    expect(r.status).toBe(200);
    expect(r.body.status).toBe("ready");
    expect(r.body.trust).toMatchObject({ store: fixtureStore.id, reports: { thisStore: 1, otherStores: 0 }, others: [], warning: null });
    expect(r.body.trust.anchors).toContain("CN=Kyso Test Root CA (chuyên dùng), O=Kyso Test PKI, C=VN");
    // the report page lists the roots its verdicts used
    const page = await (await as(`/api/v1/documents/${id}/report.html?lang=en`)).text();
    expect(page).toContain('id="trusted-roots"');
    expect(page).toContain("<li>CN=Kyso Test Root CA (chuyên dùng), O=Kyso Test PKI, C=VN</li>");
  }, 60_000);

  it("differs when the server starts without the folder: a warning with the count, still ready", async () => {
    const { s, as, ready } = await start([]);
    const r = await ready();
    expect(r.status).toBe(200);
    expect(r.body.status).toBe("ready");
    expect(r.body.trust).toMatchObject({
      store: defaultStore.id,
      reports: { thisStore: 0, otherStores: 1 },
      others: [{ trustStore: fixtureStore.id, documents: 1 }],
    });
    expect(r.body.trust.warning).toMatch(/^1 stored report was made under another trust store than this server's/);
    expect(r.body.trust.anchors).not.toContain("CN=Kyso Test Root CA (chuyên dùng), O=Kyso Test PKI, C=VN");
    // the report page does not pass the server's roots off as the ones its verdicts used
    const page = await (await as(`/api/v1/documents/${id}/report.html?lang=en`)).text();
    expect(page).toContain('id="trust-other"');
    expect(page).not.toContain('id="trusted-roots"');

    // analysed again under the server's store, the document's current report is no longer another store's
    expect((await as("/api/v1/admin/reverify", { method: "POST", headers: { "content-type": "application/json" }, body: "{}" })).status).toBe(202);
    await s.runner.idle();
    expect((await ready()).body.trust).toMatchObject({ reports: { thisStore: 1, otherStores: 0 }, others: [], warning: null });
  }, 60_000);
});
