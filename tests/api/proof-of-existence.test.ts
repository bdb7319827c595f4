// Proof of existence is not the uploader's word (issue 12): a receipt time declared years back, for a PDF
// whose signer certificate has expired since, does not make its signature valid; a trusted time-stamp
// does, and so does the exchange's trace time on a channel configured as trusted. The report says which
// time proved what, and keeps the declared time as metadata.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEFAULT_POLICY } from "../../src/compliance/index.js";
import { startServer, type RunningServer } from "../../src/server.js";
import { createKey } from "../../src/store/sqlite/keys.js";
import { edxmlMessage } from "../../fixtures/lib/edxml.js";
import { FIXTURES, ROOT } from "../helpers/paths.js";

const TRUST = join(ROOT, "fixtures", "trust");
const AGENCIES = [
  { code: "000.00.00.H53", name: "Ủy ban nhân dân tỉnh Tây Ninh", parent: null, kind: "administrative" },
  { code: "000.00.01.H53", name: "Sở Tài chính tỉnh Tây Ninh", parent: "000.00.00.H53", kind: "administrative" },
];

let servers: RunningServer[] = [];
async function start(trustedTrace: boolean) {
  const before = process.env.KYSO_TRUSTED_TRACE;
  process.env.KYSO_TRUSTED_TRACE = trustedTrace ? "true" : "false";
  const s = await startServer({
    dataDir: mkdtempSync(join(tmpdir(), "kyso-poe-")),
    port: 0,
    host: "127.0.0.1",
    trustDirs: [TRUST],
    concurrency: 1,
    timeoutMs: 20_000,
    policy: DEFAULT_POLICY,
    maxBodyBytes: 50 << 20,
    publishHeads: null,
  });
  if (before === undefined) delete process.env.KYSO_TRUSTED_TRACE;
  else process.env.KYSO_TRUSTED_TRACE = before;
  servers.push(s);
  const admin = createKey(s.db, "admin", "test", "test").key;
  const as = (path: string, init: RequestInit = {}) =>
    fetch(`${s.url}${path}`, { ...init, headers: { ...(init.headers as Record<string, string>), authorization: `Bearer ${admin}` } });
  expect((await as("/api/v1/agencies", { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify(AGENCIES) })).status).toBe(200);
  return { s, as };
}

async function upload(as: (p: string, i?: RequestInit) => Promise<Response>, file: string, number: string) {
  const form = new FormData();
  form.set("file", new Blob([readFileSync(join(FIXTURES, file))], { type: "application/pdf" }), file);
  for (const [k, v] of Object.entries({
    sender: "000.00.01.H53",
    recipients: "000.00.00.H53",
    number,
    issuedDate: "2021-03-01",
    receivedAt: "2021-03-01T09:00:00+07:00",
  }))
    form.set(k, v);
  const r = await as("/api/v1/documents", { method: "POST", body: form });
  expect(r.status).toBe(202);
  return ((await r.json()) as { id: string }).id;
}

afterAll(async () => {
  for (const s of servers) await s.close();
});

describe("proof of existence", () => {
  let doc: (id: string) => Promise<{ category: string; periodDate?: string }>;
  let report: (id: string) => Promise<{
    existence: { time: string; proof: string; declaredReceivedAt?: string };
    signatures: Array<{ indication: string; subIndication: string | null; judgedAt?: { proof: string } }>;
  }>;
  let ids: { plain: string; stamped: string };
  beforeAll(async () => {
    const { s, as } = await start(false);
    ids = { plain: await upload(as, "expired-signer.pdf", "1/QĐ-STC"), stamped: await upload(as, "expired-signer-timestamped.pdf", "2/QĐ-STC") };
    await s.runner.idle();
    doc = async (id) => (await as(`/api/v1/documents/${id}`)).json() as never;
    report = async (id) => (await as(`/api/v1/documents/${id}/report`)).json() as never;
  }, 60_000);

  it("an upload's declared receipt years back does not validate a certificate that expired since", async () => {
    expect((await doc(ids.plain)).category).toBe("signed-indeterminate");
    const r = await report(ids.plain);
    expect(r.existence.proof).toBe("kyso's own receipt of the document");
    expect(Date.parse(r.existence.time)).toBeGreaterThan(Date.parse("2026-01-01"));
    expect(r.existence.declaredReceivedAt).toBe("2021-03-01T02:00:00.000Z");
    expect(r.signatures[0]).toMatchObject({ indication: "INDETERMINATE" });
    // the declared time still decides the period the document counts in
    expect(((await doc(ids.plain)) as unknown as { issuedDate: string }).issuedDate).toBe("2021-03-01");
  });

  it("a trusted time-stamp proves it: signed-valid", async () => {
    expect((await doc(ids.stamped)).category).toBe("signed-valid");
    const r = await report(ids.stamped);
    expect(r.signatures[0]!.judgedAt?.proof).toMatch(/time-stamp/);
  });

  it("the exchange's trace time proves it only on a channel configured as trusted", async () => {
    const pdf = readFileSync(join(FIXTURES, "expired-signer.pdf"));
    const message = (id: string) =>
      edxmlMessage({
        from: { id: "000.00.01.H53", name: "Sở Tài chính" },
        to: [{ id: "000.00.00.H53", name: "UBND tỉnh" }],
        documentId: id,
        codeNumber: "3",
        notation: "QĐ-STC",
        date: "2021/03/01",
        subject: "Quyết định",
        trace: [{ organ: "000.00.01.H53", time: "2021/03/01 09:00:00" }],
        attachments: [{ name: "qd.pdf", contentType: "application/pdf", bytes: pdf }],
      });
    const results: string[] = [];
    for (const trusted of [false, true]) {
      const { s, as } = await start(trusted);
      const r = await as("/api/v1/edxml", {
        method: "POST",
        headers: { "content-type": "application/xml" },
        body: message(`000.00.01.H53,2021/03/01,3/QĐ-STC,${trusted}`),
      });
      expect(r.status).toBe(202);
      const id = ((await r.json()) as { document: { id: string } }).document.id;
      await s.runner.idle();
      results.push(((await (await as(`/api/v1/documents/${id}`)).json()) as { category: string }).category);
      const rep = (await (await as(`/api/v1/documents/${id}/report`)).json()) as { existence: { proof: string; time: string } };
      if (trusted)
        expect(rep.existence).toEqual({
          time: "2021-03-01T02:00:00.000Z",
          proof: "the exchange's trace time, on a channel configured as trusted",
          basis: { kind: "exchange-trace" },
        });
      else expect(rep.existence.proof).toBe("kyso's own receipt of the document");
    }
    expect(results).toEqual(["signed-indeterminate", "signed-valid"]);
  }, 60_000);
});
