// kyso's receipt of a document (its proof of existence, so the validation time of a signature without a
// time-stamp) is read from kyso's clock, never from the calendar (issue 28, point 7): a document signed
// under a certificate valid 2024–2027 and received at the test time is signed-valid; the same signer's
// document received with the clock moved past the certificate's end is indeterminate. Through the HTTP
// API (the clock of this process) and through `kyso scan` (the clock handed to the process it spawns).
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_POLICY } from "../../src/compliance/index.js";
import { startServer, type RunningServer } from "../../src/server.js";
import { createKey } from "../../src/store/sqlite/keys.js";
import { baseDocument, fieldNum, signField, type FieldSpec } from "../../fixtures/lib/documents.js";
import { testPki } from "../../fixtures/lib/test-pki.js";
import { AGENCIES_CSV, SAMPLE_TRUST } from "../../fixtures/sample/generate.js";
import { kysoAt, useTestClock } from "../helpers/clock.js";
import { edxml } from "../helpers/edxml.js";
import { AT, ROOT } from "../helpers/paths.js";

const pki = testPki(join(ROOT, "fixtures", "pki", "keys"));
const SIG: FieldSpec = { name: "Signature", kind: "sig" };
/** after the personal certificate's end (2027-01-01), the clock two years ahead of the test time would read */
const LATER = "2028-11-27T00:00:00Z";
const signed = (title: string) =>
  signField(baseDocument({ title, fields: [SIG] }), { field: fieldNum(0), fieldSpec: SIG, signer: pki.personal, chain: [pki.inter.der] });

describe("an upload's receipt", () => {
  let server: RunningServer;
  let auth: Record<string, string>;
  beforeAll(async () => {
    server = await startServer({
      dataDir: mkdtempSync(join(tmpdir(), "kyso-receipt-")),
      port: 0,
      host: "127.0.0.1",
      trustDirs: [SAMPLE_TRUST],
      concurrency: 1,
      timeoutMs: 20_000,
      policy: DEFAULT_POLICY,
      maxBodyBytes: 50 << 20,
      publishHeads: null,
    });
    auth = { authorization: `Bearer ${createKey(server.db, "admin", "it", "test").key}` };
    await fetch(`${server.url}/api/v1/agencies`, { method: "PUT", headers: { "content-type": "text/csv", ...auth }, body: readFileSync(AGENCIES_CSV) });
  });
  afterAll(async () => server?.close());

  /** Uploads a document with kyso's clock at `at` (declared received mid-2024 either way); its category and report's existence. */
  async function receivedAt(at: string, number: string): Promise<{ category: string; existence: { time: string; proof: string }; indication: string }> {
    const restore = useTestClock(at);
    try {
      const form = new FormData();
      form.set("file", new Blob([new Uint8Array(signed(`Công văn ${number}`))], { type: "application/pdf" }), "doc.pdf");
      for (const [k, v] of Object.entries({
        sender: "H53.03",
        recipients: "H53.02",
        number,
        issuedDate: "2024-06-20",
        receivedAt: "2024-07-01T00:00:00Z",
        classification: "none",
      }))
        form.set(k, v);
      const up = await fetch(`${server.url}/api/v1/documents`, { method: "POST", body: form, headers: auth });
      expect(up.status, await up.clone().text()).toBe(202);
      const { id } = (await up.json()) as { id: string };
      await server.runner.idle();
      const doc = (await (await fetch(`${server.url}/api/v1/documents/${id}`, { headers: auth })).json()) as { category: string };
      const report = (await (await fetch(`${server.url}/api/v1/documents/${id}/report`, { headers: auth })).json()) as {
        existence: { time: string; proof: string };
        signatures: Array<{ indication: string }>;
      };
      return { category: doc.category, existence: report.existence, indication: report.signatures[0]!.indication };
    } finally {
      restore();
    }
  }

  it("is the time kyso's clock gives: inside the certificate's validity, signed-valid", async () => {
    const r = await receivedAt(AT, "1/CLOCK");
    expect(r.existence.time.slice(0, 10)).toBe(AT.slice(0, 10));
    expect(r.existence.proof).toBe("kyso's own receipt of the document");
    expect([r.category, r.indication]).toEqual(["signed-valid", "TOTAL_PASSED"]);
  });

  it("moved past the certificate's end, the same signer's document is indeterminate", async () => {
    const r = await receivedAt(LATER, "2/CLOCK");
    expect(r.existence.time.slice(0, 10)).toBe(LATER.slice(0, 10));
    expect([r.category, r.indication]).toEqual(["signed-indeterminate", "INDETERMINATE"]);
  });
});

describe("kyso scan's receipt", () => {
  it("is the time of the clock the process was given", () => {
    const folder = join(mkdtempSync(join(tmpdir(), "kyso-receipt-scan-")), "exchange");
    mkdirSync(folder);
    writeFileSync(
      join(folder, "m.edxml"),
      edxml({
        from: "H53.03",
        to: ["H53.02"],
        codeNumber: "3",
        notation: "CLOCK",
        date: "2024/06/20",
        attachments: [{ name: "vb.pdf", bytes: signed("Công văn 3/CLOCK") }],
      }),
    );
    const scanAt = (at: string) => {
      const k = kysoAt(at);
      const data = mkdtempSync(join(tmpdir(), "kyso-receipt-data-"));
      const r = spawnSync(process.execPath, [...k.argv, "scan", folder, "--agencies", AGENCIES_CSV, "--data", data, "--trust", SAMPLE_TRUST], {
        encoding: "utf8",
        timeout: 120_000,
        env: k.env,
      });
      expect(r.status, r.stderr).toBe(0);
      const db = new Database(join(data, "kyso.db"), { readonly: true });
      try {
        return db.prepare("SELECT substr(existence_at, 1, 10) received, existence_basis basis, category FROM documents").get();
      } finally {
        db.close();
      }
    };
    expect(scanAt(AT)).toEqual({ received: AT.slice(0, 10), basis: "receipt", category: "signed-valid" });
    expect(scanAt(LATER)).toEqual({ received: LATER.slice(0, 10), basis: "receipt", category: "signed-indeterminate" });
  });
});
