// The ETSI TS 119 102-2 validation report: for every fixture and corpus file, the XML validates against
// the schema in ../shared/etsi (xmllint, as an EU-tool user would check it) and carries, per signature
// and document time-stamp, the same main indication and sub-indication as the JSON report; a document
// without signatures says so under kyso's own URN. Also served by the API (?format=xml) and put in the
// evidence archive (report.xml).
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { XMLParser } from "fast-xml-parser";
import { unzipSync, strFromU8 } from "fflate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { analyze } from "../../src/analyze.js";
import { loadTrustStore } from "../../src/config.js";
import { etsiValidationReport } from "../../src/verify/etsi-report.js";
import type { DocumentReport } from "../../src/verify/report.js";
import { startSampleServer, type SampleServer } from "../helpers/sample-server.js";
import { AT, CORPUS, FIXTURES, hasCorpus, ROOT, SHARED } from "../helpers/paths.js";

const SCHEMA = join(SHARED, "etsi", "1910202xmlSchema.xsd");
const hasSchema = existsSync(SCHEMA);
const hasXmllint = spawnSync("xmllint", ["--version"]).error === undefined;
const trust = loadTrustStore([join(ROOT, "fixtures", "trust")]);

function pdfFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? pdfFiles(p) : p.endsWith(".pdf") ? [p] : [];
  });
}

const parser = new XMLParser({
  ignoreAttributes: false,
  removeNSPrefix: true,
  isArray: (name) => ["SignatureValidationReport", "SubIndication"].includes(name),
});

/** Main and sub-indication per signature, read back from the XML. */
function indicationsOf(xml: string): Array<{ main: string; sub: string[] }> {
  const doc = parser.parse(xml) as {
    ValidationReport: { SignatureValidationReport: Array<{ SignatureValidationStatus: { MainIndication: string; SubIndication?: string[] } }> };
  };
  return doc.ValidationReport.SignatureValidationReport.map((r) => ({
    main: r.SignatureValidationStatus.MainIndication,
    sub: r.SignatureValidationStatus.SubIndication ?? [],
  }));
}

function expected(r: DocumentReport): Array<{ main: string; sub: string[] }> {
  if (r.signatures.length === 0) return [{ main: "urn:kyso:indication:no-signature", sub: [] }];
  const main = { TOTAL_PASSED: "total-passed", TOTAL_FAILED: "total-failed", INDETERMINATE: "indeterminate" } as const;
  return r.signatures.map((s) => ({
    main: `urn:etsi:019102:mainindication:${main[s.indication]}`,
    sub: s.subIndication ? [`urn:etsi:019102:subindication:${s.subIndication}`] : [],
  }));
}

async function check(files: string[]): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "kyso-etsi-"));
  try {
    const written: string[] = [];
    for (const [i, f] of files.entries()) {
      const r = await analyze(new Uint8Array(readFileSync(f)), { now: AT, trust });
      const xml = etsiValidationReport(r);
      expect(indicationsOf(xml), f).toEqual(expected(r));
      const out = join(dir, `${i}.xml`);
      writeFileSync(out, xml);
      written.push(out);
    }
    if (!hasSchema || !hasXmllint) return;
    const v = spawnSync("xmllint", ["--noout", "--schema", SCHEMA, ...written], { encoding: "utf8", maxBuffer: 1 << 26 });
    expect(
      v.stderr.split("\n").filter((l) => l && !l.endsWith(" validates")),
      "xmllint",
    ).toEqual([]);
    expect(v.status).toBe(0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("ETSI TS 119 102-2 validation reports", () => {
  if (!hasSchema || !hasXmllint)
    it.skip(`(${!hasSchema ? `no schema at ${SCHEMA}` : "xmllint is not installed (apt-get install libxml2-utils; .ci/run does)"}: the indications are compared, the schema is not checked here)`, () => {});

  it("of every fixture carry the JSON report's indications and validate against the schema", async () => {
    await check(pdfFiles(FIXTURES));
  }, 120_000);

  it.skipIf(!hasCorpus)(
    "of every corpus file carry the JSON report's indications and validate against the schema",
    async () => {
      await check(pdfFiles(join(CORPUS, "files")));
    },
    180_000,
  );

  it("keep a hostile field name from breaking the XML", () => {
    const xml = etsiValidationReport({
      sha256: "ab".repeat(32),
      bytes: 1,
      engine: { name: "kyso", version: "0", trustStore: "x" },
      validationTime: AT,
      error: null,
      pdf: null,
      signatures: [
        {
          index: 0,
          field: 'a</vr:DAIdentifier><x>&"\u0001',
          kind: "signature",
          subFilter: "adbe.pkcs7.detached",
          revision: 1,
          revisions: 1,
          byteRange: [0, 1, 2, 3],
          coverage: "entire-file",
          integrity: "broken",
          cryptographic: "invalid",
          signer: null,
          digestAlgorithm: "sha256",
          signatureAlgorithm: "RSA",
          claimedSigningTime: "not a time",
          timestamp: null,
          judgedAt: null,
          chain: { trusted: false, anchor: null, path: [] },
          revocation: { status: "unknown", checkedBy: "none" },
          modifications: { level: "none", details: [] },
          indication: "TOTAL_FAILED",
          subIndication: "HASH_FAILURE",
          messages: ["<script>"],
        },
      ],
      content: { kind: "unknown", pagesExamined: 0, evidence: {} },
      verdict: "signed-invalid",
      nd30: { personal: false, organization: false, complete: false },
      messages: [],
    } as unknown as DocumentReport);
    expect(indicationsOf(xml)).toEqual([{ main: "urn:etsi:019102:mainindication:total-failed", sub: ["urn:etsi:019102:subindication:HASH_FAILURE"] }]);
    expect(xml).not.toContain("<x>");
    expect(xml).not.toContain("<script>");
    expect(xml).not.toContain("\u0001");
  });
});

describe("served and archived", () => {
  let s: SampleServer;
  beforeAll(async () => {
    s = await startSampleServer(20, 5);
  }, 120_000);
  afterAll(async () => s?.server.close());

  it("GET …/report?format=xml and the evidence archive's report.xml hold the report's indications", async () => {
    const item = s.items.find((i) => i.kind === "nd30" && i.file && i.meta.classification === "none")!;
    const { id } = s.server.db.prepare("SELECT id FROM documents WHERE number = ?").get(item.meta.number) as { id: string };
    const report = (await (await s.as("auditor", `/api/v1/documents/${id}/report`)).json()) as DocumentReport;
    const res = await s.as("auditor", `/api/v1/documents/${id}/report?format=xml`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/xml/);
    const xml = await res.text();
    expect(indicationsOf(xml)).toEqual(expected(report));
    const files = unzipSync(new Uint8Array(await (await s.as("auditor", `/api/v1/documents/${id}/evidence`)).arrayBuffer()));
    expect(strFromU8(files["report.xml"]!)).toBe(xml);
    expect((await s.as("auditor", `/api/v1/documents/${id}/report?format=pdf`)).status).toBe(400);
  }, 60_000);
});
