// Online revocation answers are kept for cacheSeconds of kyso's clock (src/clock.ts), the one clock tests
// move, not of the system's: an answer is reused while that clock says it is fresh and asked again once
// the clock has moved past cacheSeconds, whatever the calendar says (issue 28, point 7).
import { createServer, type Server } from "node:http";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { analyze } from "../../src/analyze.js";
import { setClock } from "../../src/clock.js";
import { loadTrustStore } from "../../src/config.js";
import { baseDocument, fieldNum, signField, type FieldSpec } from "../../fixtures/lib/documents.js";
import { makeCert, makeOcspResponse, type Issued } from "../../fixtures/lib/pki.js";
import { testPki } from "../../fixtures/lib/test-pki.js";
import { AT, ROOT } from "../helpers/paths.js";

const pki = testPki(join(ROOT, "fixtures", "pki", "keys"));
const trust = loadTrustStore([join(ROOT, "fixtures", "trust")], { includeDefault: false });
const SIG: FieldSpec = { name: "Signature", kind: "sig" };
let server: Server;
let signer: Issued;
let asked = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    asked++;
    req.resume();
    res
      .writeHead(200, { "content-type": "application/ocsp-response" })
      .end(makeOcspResponse(pki.inter, signer, { status: "good", thisUpdate: "2026-11-26T00:00:00Z", nextUpdate: "2026-12-03T00:00:00Z" }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  signer = makeCert(mkdtempSync(join(tmpdir(), "kyso-cache-clock-keys-")), {
    name: "cache-clock-signer",
    keyType: "rsa",
    serial: 4545,
    notBefore: "2024-01-01T00:00:00Z",
    notAfter: "2027-01-01T00:00:00Z",
    issuer: pki.inter,
    subject: [
      ["C", "VN"],
      ["O", "Sở Tư pháp"],
      ["CN", "Hồ Thị Mai"],
      ["UID", "CCCD:072190004545"],
    ],
    ocspUrl: `http://127.0.0.1:${port}/ocsp`,
  });
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

it("keeps an answer for cacheSeconds of kyso's clock, and asks again once that clock has moved past them", async () => {
  let t = Date.parse(AT);
  setClock(() => new Date(t));
  // no clock of its own in the options: the process clock decides
  const opts = {
    now: AT,
    trust,
    revocation: "strict" as const,
    online: { timeoutMs: 3000, maxBytes: 1 << 20, cacheSeconds: 600, allow: ["127.0.0.1"] },
    text: false,
  };
  const pdf = (n: number) =>
    signField(baseDocument({ title: `Công văn ${n}`, fields: [SIG] }), { field: fieldNum(0), fieldSpec: SIG, signer, chain: [pki.inter.der] });
  const checked = async (n: number) => (await analyze(pdf(n), opts)).signatures[0]!.revocation.checkedBy;
  expect(await checked(1)).toBe("online");
  expect(asked).toBe(1);
  t += 599_000; // still within cacheSeconds by kyso's clock: reused
  expect(await checked(2)).toBe("online");
  expect(asked).toBe(1);
  t += 2_000; // past cacheSeconds by kyso's clock, though the system's has hardly moved: asked again
  expect(await checked(3)).toBe("online");
  expect(asked).toBe(2);
});
