// Online revocation against responders this test starts on 127.0.0.1: an OCSP responder and a CRL
// distribution point named in the signer's certificate, in strict mode; and a local CRL cache folder.
import { createServer, type Server } from "node:http";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { analyze } from "../../src/analyze.js";
import { loadTrustStore } from "../../src/config.js";
import { baseDocument, fieldNum, signField, type FieldSpec } from "../../fixtures/lib/documents.js";
import { makeCert, makeCrl, makeOcspResponse, type Issued } from "../../fixtures/lib/pki.js";
import { testPki } from "../../fixtures/lib/test-pki.js";
import { AT, ROOT } from "../helpers/paths.js";

const pki = testPki(join(ROOT, "fixtures", "pki", "keys"));
const trust = loadTrustStore([join(ROOT, "fixtures", "trust")], { includeDefault: false });
const SIG: FieldSpec = { name: "Signature", kind: "sig" };

let server: Server;
let port = 0;
const state = { ocsp: "good" as "good" | "revoked" | "error", hits: 0, ocspHits: 0, crlHits: 0, signer: null as Issued | null };

function signedWith(signer: Issued): Buffer {
  const m = baseDocument({ title: "Công văn", fields: [SIG] });
  return signField(m, { field: fieldNum(0), fieldSpec: SIG, signer, chain: [pki.inter.der] });
}

beforeAll(async () => {
  server = createServer((req, res) => {
    state.hits++;
    const signer = state.signer!;
    if (req.url === "/ocsp" && req.method === "POST") {
      state.ocspHits++;
      req.resume();
      if (state.ocsp === "error") {
        res.writeHead(500).end();
        return;
      }
      const body = makeOcspResponse(pki.inter, signer, {
        status: state.ocsp,
        thisUpdate: "2026-11-26T00:00:00Z",
        nextUpdate: "2026-12-03T00:00:00Z",
        revokedAt: "2025-01-01T00:00:00Z",
      });
      res.writeHead(200, { "content-type": "application/ocsp-response" }).end(body);
      return;
    }
    if (req.url === "/crl") {
      state.crlHits++;
      res
        .writeHead(200, { "content-type": "application/pkix-crl" })
        .end(makeCrl(pki.inter, { thisUpdate: "2026-11-20T00:00:00Z", nextUpdate: "2026-12-20T00:00:00Z", revoked: [] }));
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as { port: number }).port;
  const keys = mkdtempSync(join(tmpdir(), "kyso-online-keys-"));
  state.signer = makeCert(keys, {
    name: "online-signer",
    keyType: "rsa",
    serial: 4242,
    notBefore: "2024-01-01T00:00:00Z",
    notAfter: "2027-01-01T00:00:00Z",
    issuer: pki.inter,
    subject: [
      ["C", "VN"],
      ["O", "Sở Tư pháp"],
      ["CN", "Đỗ Thị Lan"],
      ["UID", "CCCD:072190001111"],
    ],
    ocspUrl: `http://127.0.0.1:${port}/ocsp`,
    crlUrl: `http://127.0.0.1:${port}/crl`,
  });
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe("online revocation (strict)", () => {
  const opts = () => ({ now: AT, trust, revocation: "strict" as const, online: { timeoutMs: 3000, maxBytes: 1 << 20, allow: ["127.0.0.1"] }, text: false });

  it("asks nobody when online fetching is off", async () => {
    state.hits = 0;
    const r = await analyze(signedWith(state.signer!), { now: AT, trust, revocation: "strict", text: false });
    expect(r.signatures[0]!.subIndication).toBe("TRY_LATER");
    expect(state.hits).toBe(0);
  });

  it("passes with a good OCSP answer", async () => {
    state.ocsp = "good";
    const s = (await analyze(signedWith(state.signer!), opts())).signatures[0]!;
    expect(s.indication, s.messages.join(" | ")).toBe("TOTAL_PASSED");
    expect(s.revocation).toEqual({ status: "good", checkedBy: "online" });
  });

  it("is indeterminate with a revoked OCSP answer and no proof the signature came before (REVOKED_NO_POE)", async () => {
    state.ocsp = "revoked";
    const s = (await analyze(signedWith(state.signer!), opts())).signatures[0]!;
    expect([s.indication, s.subIndication]).toEqual(["INDETERMINATE", "REVOKED_NO_POE"]);
    expect(s.revocation.checkedBy).toBe("online");
  });

  it("falls back to the CRL when the OCSP responder fails", async () => {
    state.ocsp = "error";
    const r = await analyze(signedWith(state.signer!), opts());
    expect(r.signatures[0]!.revocation).toEqual({ status: "good", checkedBy: "online" });
    expect(r.messages.join(" ")).toMatch(/online revocation: OCSP .*HTTP 500/);
  });

  it("is INDETERMINATE / TRY_LATER when no responder answers", async () => {
    const dead = makeCert(mkdtempSync(join(tmpdir(), "kyso-online-keys-")), {
      name: "dead",
      keyType: "rsa",
      serial: 4343,
      notBefore: "2024-01-01T00:00:00Z",
      notAfter: "2027-01-01T00:00:00Z",
      issuer: pki.inter,
      subject: [
        ["C", "VN"],
        ["CN", "Nobody"],
        ["UID", "CCCD:1"],
      ],
      ocspUrl: "http://127.0.0.1:9/ocsp",
    });
    const r = await analyze(signedWith(dead), opts());
    expect(r.signatures[0]!.subIndication).toBe("TRY_LATER");
    expect(r.messages.join(" ")).toMatch(/online revocation: OCSP http:\/\/127.0.0.1:9\/ocsp/);
  });
});

describe("answers kept between documents", () => {
  const cachedOpts = () => ({
    now: AT,
    trust,
    revocation: "strict" as const,
    online: { timeoutMs: 3000, maxBytes: 1 << 20, cacheSeconds: 600, allow: ["127.0.0.1"] },
    text: false,
  });

  it("asks the OCSP responder once for two documents of the same signer", async () => {
    state.ocsp = "good";
    state.ocspHits = 0;
    for (const title of ["Công văn 1", "Công văn 2"]) {
      const m = baseDocument({ title, fields: [SIG] });
      const pdf = signField(m, { field: fieldNum(0), fieldSpec: SIG, signer: state.signer!, chain: [pki.inter.der] });
      const s = (await analyze(pdf, cachedOpts())).signatures[0]!;
      expect([s.indication, s.revocation.checkedBy]).toEqual(["TOTAL_PASSED", "online"]);
    }
    expect(state.ocspHits).toBe(1);
  });

  it("keeps an answer for the process clock's cacheSeconds, whatever the wall clock says", async () => {
    state.ocsp = "good";
    let t = Date.parse("2031-01-01T00:00:00Z"); // a wall clock far past the answer's nextUpdate
    const clocked = { ...cachedOpts(), online: { ...cachedOpts().online, clock: () => t } };
    await analyze(signedWith(state.signer!), clocked); // fills (or refreshes) the kept answer at this clock
    state.ocspHits = 0;
    t += 599_000;
    await analyze(signedWith(state.signer!), clocked);
    expect(state.ocspHits).toBe(0);
    t += 2_000; // past cacheSeconds (600) since it was kept: asked again
    await analyze(signedWith(state.signer!), clocked);
    expect(state.ocspHits).toBe(1);
  });

  it("does not reuse an answer for a document judged after the answer's nextUpdate", async () => {
    state.ocsp = "good";
    const later = { ...cachedOpts(), now: "2026-12-05T00:00:00Z" }; // the OCSP answer's nextUpdate is 2026-12-03
    state.ocspHits = 0;
    for (let i = 0; i < 2; i++) await analyze(signedWith(state.signer!), later);
    expect(state.ocspHits).toBe(2);
  });

  it("keeps the CRL it fell back to, and asks a failing OCSP responder again (failures are not kept)", async () => {
    const keys = mkdtempSync(join(tmpdir(), "kyso-online-keys-"));
    const signer = makeCert(keys, {
      name: "crl-signer",
      keyType: "rsa",
      serial: 4244,
      notBefore: "2024-01-01T00:00:00Z",
      notAfter: "2027-01-01T00:00:00Z",
      issuer: pki.inter,
      subject: [
        ["C", "VN"],
        ["CN", "Lê Văn Tám"],
        ["UID", "CCCD:072190002222"],
      ],
      ocspUrl: `http://127.0.0.1:${port}/ocsp`,
      crlUrl: `http://127.0.0.1:${port}/crl`,
    });
    state.ocsp = "error";
    state.ocspHits = 0;
    state.crlHits = 0;
    for (let i = 0; i < 3; i++)
      expect((await analyze(signedWith(signer), cachedOpts())).signatures[0]!.revocation).toEqual({ status: "good", checkedBy: "online" });
    expect([state.ocspHits, state.crlHits]).toEqual([3, 1]);
  });

  it("asks every time when nothing may be kept (cacheSeconds 0, the default of an options object)", async () => {
    state.ocsp = "good";
    state.ocspHits = 0;
    const fresh = { now: AT, trust, revocation: "strict" as const, online: { timeoutMs: 3000, maxBytes: 1 << 20, allow: ["127.0.0.1"] }, text: false };
    for (let i = 0; i < 2; i++) await analyze(signedWith(state.signer!), fresh);
    expect(state.ocspHits).toBe(2);
  });
});

describe("local CRL cache", () => {
  it("uses cached CRLs, and reports them as the source", async () => {
    const crl = makeCrl(pki.inter, {
      thisUpdate: "2026-11-20T00:00:00Z",
      nextUpdate: "2026-12-20T00:00:00Z",
      revoked: [{ serial: 4242, at: "2025-06-01T00:00:00Z" }],
    });
    const s = (await analyze(signedWith(state.signer!), { now: AT, trust, crlCache: [crl], text: false })).signatures[0]!;
    expect([s.indication, s.subIndication]).toEqual(["INDETERMINATE", "REVOKED_NO_POE"]);
    expect(s.revocation.checkedBy).toBe("cache");
  });
});
