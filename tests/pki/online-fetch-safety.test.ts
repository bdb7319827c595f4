// Online revocation fetches that cannot hurt (issue 28, point 4): a responder that streams 300 MB is cut
// at the cap without the body held in memory; one that trickles leaves the revocation unchecked within the
// document's time budget (soft-fail: the signature stays valid, with the message); redirects are not
// followed and internal addresses are not asked unless allowed; two documents of one signer analysed at
// once ask the responder once.
import { createServer, type Server } from "node:http";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { analyze } from "../../src/analyze.js";
import { loadTrustStore } from "../../src/config.js";
import { baseDocument, fieldNum, signField, type FieldSpec } from "../../fixtures/lib/documents.js";
import { makeCert, makeOcspResponse, type Issued } from "../../fixtures/lib/pki.js";
import { testPki } from "../../fixtures/lib/test-pki.js";
import { AT, ROOT } from "../helpers/paths.js";

const pki = testPki(join(ROOT, "fixtures", "pki", "keys"));
const trust = loadTrustStore([join(ROOT, "fixtures", "trust")], { includeDefault: false });
const SIG: FieldSpec = { name: "Signature", kind: "sig" };
const hits: Record<string, number> = {};
let server: Server;
let port = 0;
const signers: Record<string, Issued> = {};

const signedWith = (signer: Issued, title = "Công văn"): Buffer =>
  signField(baseDocument({ title, fields: [SIG] }), { field: fieldNum(0), fieldSpec: SIG, signer, chain: [pki.inter.der] });
const certFor = (name: string, serial: number, url: string) =>
  makeCert(mkdtempSync(join(tmpdir(), "kyso-fetch-keys-")), {
    name,
    keyType: "rsa",
    serial,
    notBefore: "2024-01-01T00:00:00Z",
    notAfter: "2027-01-01T00:00:00Z",
    issuer: pki.inter,
    subject: [
      ["C", "VN"],
      ["CN", `Người ký ${serial}`],
      ["UID", `CCCD:0721900${serial}`],
    ],
    ocspUrl: url,
  });

beforeAll(async () => {
  server = createServer((req, res) => {
    const path = req.url ?? "";
    hits[path] = (hits[path] ?? 0) + 1;
    req.resume();
    if (path === "/huge") {
      // 300 MB in 64 kB chunks, for as long as the reader reads
      res.writeHead(200, { "content-type": "application/ocsp-response" });
      const chunk = Buffer.alloc(64 << 10, 0x30);
      let sent = 0;
      const pump = () => {
        while (sent < 300 << 20) {
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once("drain", pump);
        }
        res.end();
      };
      res.on("close", () => (sent = 300 << 20));
      pump();
      return;
    }
    if (path === "/slow") {
      res.writeHead(200, { "content-type": "application/ocsp-response" });
      const t = setInterval(() => res.write("0"), 500);
      res.on("close", () => clearInterval(t));
      return;
    }
    if (path === "/redirect") {
      res.writeHead(302, { location: `http://127.0.0.1:${port}/good-by-redirect` }).end();
      return;
    }
    if (path === "/good" || path === "/good-by-redirect" || path === "/shared") {
      const signer = path === "/shared" ? signers.shared! : signers.good!;
      setTimeout(
        () =>
          res
            .writeHead(200, { "content-type": "application/ocsp-response" })
            .end(makeOcspResponse(pki.inter, signer, { status: "good", thisUpdate: "2026-11-26T00:00:00Z", nextUpdate: "2026-12-03T00:00:00Z" })),
        100,
      );
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as { port: number }).port;
  signers.huge = certFor("fetch-huge", 5101, `http://127.0.0.1:${port}/huge`);
  signers.slow = certFor("fetch-slow", 5102, `http://127.0.0.1:${port}/slow`);
  signers.redirect = certFor("fetch-redirect", 5103, `http://localhost:${port}/redirect`);
  signers.good = certFor("fetch-good", 5104, `http://127.0.0.1:${port}/good`);
  signers.shared = certFor("fetch-shared", 5105, `http://127.0.0.1:${port}/shared`);
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const online = (more: Record<string, unknown> = {}) => ({ timeoutMs: 5000, maxBytes: 1 << 20, budgetMs: 6000, allow: ["127.0.0.1", "localhost"], ...more });

describe("online fetches that cannot hurt", () => {
  it("cuts a 300 MB answer at the cap, reading it as a stream", async () => {
    global.gc?.();
    const before = process.memoryUsage().rss;
    const r = await analyze(signedWith(signers.huge!), { now: AT, trust, online: online(), text: false });
    const grew = process.memoryUsage().rss - before;
    expect(r.messages.join(" ")).toMatch(/more than 1048576 bytes is too large: stopped reading/);
    expect(r.signatures[0]!.indication).toBe("TOTAL_PASSED"); // soft-fail: revocation unchecked, said
    expect(grew).toBeLessThan(20 << 20);
  }, 30_000);

  it("leaves a trickling responder's revocation unchecked within the document's budget: valid, with the soft-fail message", async () => {
    const t0 = Date.now();
    const r = await analyze(signedWith(signers.slow!), { now: AT, trust, online: online({ timeoutMs: 1500, budgetMs: 2000 }), text: false });
    expect(Date.now() - t0).toBeLessThan(5000);
    const s = r.signatures[0]!;
    expect([s.indication, s.revocation.checkedBy]).toEqual(["TOTAL_PASSED", "none"]);
    expect(r.messages.join(" ")).toMatch(/online revocation: OCSP http:\/\/127\.0\.0\.1:\d+\/slow/);
  }, 30_000);

  it("does not follow a redirect, and does not ask an internal address unless allowed", async () => {
    hits["/good-by-redirect"] = 0;
    const r = await analyze(signedWith(signers.redirect!), { now: AT, trust, online: online(), text: false });
    expect(hits["/good-by-redirect"]).toBe(0);
    expect(r.messages.join(" ")).toMatch(/HTTP 302: a redirect .* is not followed/);
    hits["/good"] = 0;
    const refused = await analyze(signedWith(signers.good!), { now: AT, trust, online: online({ allow: [] }), text: false });
    expect(hits["/good"]).toBe(0);
    expect(refused.messages.join(" ")).toMatch(/127\.0\.0\.1 is an internal address .* KYSO_ONLINE_ALLOW/);
    const allowed = await analyze(signedWith(signers.good!), { now: AT, trust, online: online(), text: false });
    expect([hits["/good"], allowed.signatures[0]!.revocation.checkedBy]).toEqual([1, "online"]);
  }, 30_000);

  it("asks the responder once for two documents of one signer analysed at once", async () => {
    hits["/shared"] = 0;
    const [a, b] = await Promise.all([
      analyze(signedWith(signers.shared!, "Công văn 1"), { now: AT, trust, online: online({ cacheSeconds: 0 }), text: false }),
      analyze(signedWith(signers.shared!, "Công văn 2"), { now: AT, trust, online: online({ cacheSeconds: 0 }), text: false }),
    ]);
    expect([a.signatures[0]!.revocation.checkedBy, b.signatures[0]!.revocation.checkedBy]).toEqual(["online", "online"]);
    expect(hits["/shared"]).toBe(1);
  }, 30_000);
});
