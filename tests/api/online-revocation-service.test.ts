// Revocation checking in the service (KYSO_ONLINE, KYSO_REVOCATION, KYSO_CRL_DIR): a document uploaded to
// `kyso serve` whose signer was revoked before the document was received is not signed-valid when the
// service asks the OCSP responder its certificate names (one started here on 127.0.0.1), and passes with
// a message when nothing is asked (the default). Bad settings stop the start with a clear message.
import { createServer, type Server } from "node:http";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_POLICY } from "../../src/compliance/index.js";
import { revocationFromEnv, type RevocationSettings } from "../../src/config.js";
import { workerConfigFromEnv } from "../../src/queue/bullmq-worker.js";
import { serverOptionsFromEnv, startServer, type RunningServer } from "../../src/server.js";
import { createKey } from "../../src/store/sqlite/keys.js";
import type { DocumentReport } from "../../src/verify/report.js";
import { baseDocument, fieldNum, signField, type FieldSpec } from "../../fixtures/lib/documents.js";
import { makeCert, makeOcspResponse, type Issued } from "../../fixtures/lib/pki.js";
import { testPki } from "../../fixtures/lib/test-pki.js";
import { AGENCIES_CSV } from "../../fixtures/sample/generate.js";
import { ROOT } from "../helpers/paths.js";
import { useTestClock } from "../helpers/clock.js";

const pki = testPki(join(ROOT, "fixtures", "pki", "keys"));
const SIG: FieldSpec = { name: "Signature", kind: "sig" };
let responder: Server;
let asked = 0;
let signer: Issued;

beforeAll(async () => {
  // received at the test time (kyso's receipt is the validation time): inside the signer's validity and
  // the OCSP answer's interval, whatever the calendar says
  useTestClock();
  responder = createServer((req, res) => {
    asked++;
    req.resume();
    res.writeHead(200, { "content-type": "application/ocsp-response" }).end(
      makeOcspResponse(pki.inter, signer, {
        status: "revoked",
        thisUpdate: "2026-11-26T00:00:00Z",
        nextUpdate: "2026-12-03T00:00:00Z",
        revokedAt: "2025-01-01T00:00:00Z",
      }),
    );
  });
  await new Promise<void>((resolve) => responder.listen(0, "127.0.0.1", resolve));
  const port = (responder.address() as { port: number }).port;
  signer = makeCert(mkdtempSync(join(tmpdir(), "kyso-svc-keys-")), {
    name: "svc-signer",
    keyType: "rsa",
    serial: 5151,
    notBefore: "2024-01-01T00:00:00Z",
    notAfter: "2027-01-01T00:00:00Z",
    issuer: pki.inter,
    subject: [
      ["C", "VN"],
      ["O", "Sở Tư pháp"],
      ["CN", "Phạm Văn Đồng"],
      ["UID", "CCCD:072190003333"],
    ],
    ocspUrl: `http://127.0.0.1:${port}/ocsp`,
  });
});
afterAll(() => new Promise<void>((resolve) => responder.close(() => resolve())));

/** Starts a server with these settings, uploads one signed document declared received mid-2025, and returns its report. */
async function analyzedWith(revocation: RevocationSettings | undefined, number: string): Promise<{ category: string; report: DocumentReport }> {
  const server: RunningServer = await startServer({
    dataDir: mkdtempSync(join(tmpdir(), "kyso-svc-")),
    port: 0,
    host: "127.0.0.1",
    trustDirs: [join(ROOT, "fixtures", "trust")],
    concurrency: 1,
    timeoutMs: 20_000,
    policy: DEFAULT_POLICY,
    maxBodyBytes: 50 << 20,
    ...(revocation ? { revocation } : {}),
  });
  try {
    const key = createKey(server.db, "admin", "it", "test").key;
    const auth = { authorization: `Bearer ${key}` };
    await fetch(`${server.url}/api/v1/agencies`, { method: "PUT", headers: { "content-type": "text/csv", ...auth }, body: readFileSync(AGENCIES_CSV) });
    const pdf = signField(baseDocument({ title: `Công văn ${number}`, fields: [SIG] }), { field: fieldNum(0), fieldSpec: SIG, signer, chain: [pki.inter.der] });
    const form = new FormData();
    form.set("file", new Blob([new Uint8Array(pdf)], { type: "application/pdf" }), "doc.pdf");
    for (const [k, v] of Object.entries({
      sender: "H53.03",
      recipients: "H53.02",
      number,
      issuedDate: "2025-06-01",
      receivedAt: "2025-06-01T08:00:00+07:00",
      classification: "none",
    }))
      form.set(k, v);
    const up = await fetch(`${server.url}/api/v1/documents`, { method: "POST", body: form, headers: auth });
    expect(up.status, await up.clone().text()).toBe(202);
    const { id } = (await up.json()) as { id: string };
    await server.runner.idle();
    const doc = (await (await fetch(`${server.url}/api/v1/documents/${id}`, { headers: auth })).json()) as { category: string };
    const report = (await (await fetch(`${server.url}/api/v1/documents/${id}/report`, { headers: auth })).json()) as DocumentReport;
    return { category: doc.category, report };
  } finally {
    await server.close();
  }
}

describe("revocation in the service", () => {
  it("asks the signer's OCSP responder when KYSO_ONLINE is set: revoked before receipt, with no proof the signature came first, is indeterminate", async () => {
    asked = 0;
    const r = await analyzedWith(revocationFromEnv({ KYSO_ONLINE: "true", KYSO_ONLINE_ALLOW: "127.0.0.1" }), "101/SV-ONLINE");
    expect(asked).toBe(1);
    expect(r.category).toBe("signed-indeterminate");
    const s = r.report.signatures[0]!;
    expect([s.indication, s.subIndication, s.revocation.checkedBy]).toEqual(["INDETERMINATE", "REVOKED_NO_POE", "online"]);
  });

  it("asks nobody by default, and says that revocation could not be checked", async () => {
    asked = 0;
    const r = await analyzedWith(revocationFromEnv({}), "102/SV-OFFLINE");
    expect(asked).toBe(0);
    expect(r.category).toBe("signed-valid");
    expect(r.report.signatures[0]!.revocation).toEqual({ status: "unknown", checkedBy: "none" });
  });

  it("in strict mode without online checks, an unchecked signer is not established", async () => {
    const r = await analyzedWith(revocationFromEnv({ KYSO_REVOCATION: "strict" }), "103/SV-STRICT");
    expect(r.category).toBe("signed-indeterminate");
    expect(r.report.signatures[0]!.subIndication).toBe("TRY_LATER");
  });

  it("gives kyso worker the same settings from the same variables", () => {
    const cfg = workerConfigFromEnv({
      REDIS_URL: "redis://127.0.0.1:6379",
      KYSO_API_URL: "http://127.0.0.1:8080",
      KYSO_WORKER_KEY: "k",
      KYSO_ONLINE: "1",
      KYSO_REVOCATION: "strict",
    });
    expect(cfg.revocation).toEqual({ revocation: "strict", online: true });
    expect(serverOptionsFromEnv({ KYSO_ONLINE: "yes" }).revocation).toEqual({ revocation: "soft-fail", online: true });
  });

  it("refuses settings it does not understand, naming them", () => {
    expect(() => revocationFromEnv({ KYSO_REVOCATION: "lenient" })).toThrow(/KYSO_REVOCATION must be strict, soft-fail or off, not 'lenient'/);
    expect(() => revocationFromEnv({ KYSO_ONLINE: "maybe" })).toThrow(/KYSO_ONLINE must be true or false/);
    expect(() => revocationFromEnv({ KYSO_CRL_DIR: "/nonexistent/crls" })).toThrow(/KYSO_CRL_DIR: no folder/);
  });
});
