// `kyso scan`: a folder export with its register ingested into the store, analyzed, resumable; PDFs the
// register does not name are listed; a bad register row stops the scan before anything is stored.
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, utimesSync, writeFileSync } from "node:fs";
import { zipSync } from "fflate";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { beforeAll, describe, expect, it } from "vitest";
import { AGENCIES_CSV, generateSample, SAMPLE_TRUST, type SampleItem } from "../../fixtures/sample/generate.js";
import { ROOT } from "../helpers/paths.js";
import { writeRegister } from "../helpers/register.js";
import { edxml } from "../helpers/edxml.js";
import { kysoAt } from "../helpers/clock.js";

let dir: string;
let data: string;
let items: SampleItem[];
// kyso receives at the test time (its receipt is the validation time of signatures without a time-stamp)
const at = kysoAt();
const kyso = (...args: string[]) => spawnSync(process.execPath, [...at.argv, ...args], { encoding: "utf8", timeout: 120_000, env: at.env });

beforeAll(() => {
  const root = mkdtempSync(join(tmpdir(), "kyso-scan-"));
  dir = join(root, "export");
  data = join(root, "data");
  items = generateSample(dir, { documents: 40, seed: 9 });
  writeRegister(dir, items);
  copyFileSync(join(ROOT, "fixtures", "pdf", "unsigned.pdf"), join(dir, "files", "not-in-register.pdf"));
});

describe("kyso scan", () => {
  it("ingests and analyzes the export, listing PDFs the register does not name", () => {
    const r = kyso("scan", dir, "--register", join(dir, "register.csv"), "--agencies", AGENCIES_CSV, "--data", data, "--trust", SAMPLE_TRUST);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain(`(kyso): ${items.length} new, 0 already in the store`);
    expect(r.stdout).toContain("1 PDF(s) not in the register, not ingested");
    expect(r.stdout).toContain("files/not-in-register.pdf");
    const db = new Database(join(data, "kyso.db"), { readonly: true });
    const rows = db.prepare("SELECT number, category, status FROM documents").all() as Array<{ number: string; category: string; status: string }>;
    db.close();
    expect(rows).toHaveLength(items.length);
    const want = new Map(items.map((i) => [i.meta.number, i.expected.category]));
    for (const row of rows) expect([row.number, row.category]).toEqual([row.number, want.get(row.number)]);
  });

  it("prints the figures with kyso stats, as text and as JSON", () => {
    const j = kyso("stats", "--from", "2024-01-01", "--to", "2024-12-31", "--json", "--data", data);
    expect(j.status, j.stderr).toBe(0);
    const s = JSON.parse(j.stdout);
    expect(s.denominator).toBe(items.filter((i) => i.expected.category !== "excluded").length);
    expect(s.numerator).toBe(items.filter((i) => i.expected.counts).length);
    expect(Array.isArray(s.agencies)).toBe(true);
    const t = kyso("stats", "--from", "2024-01-01", "--to", "2024-12-31", "--by", "month", "--data", data);
    expect(t.stdout).toMatch(/2024-01 /);
    expect(kyso("stats", "--from", "2024-13-01", "--data", data).status).toBe(2);
  });

  it("resumes: a second run finds everything already stored", () => {
    const r = kyso("scan", dir, "--register", join(dir, "register.csv"), "--data", data);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain(`(kyso): 0 new, ${items.length} already in the store`);
  });

  it("stops on a bad register row before storing anything", () => {
    const bad = join(dir, "bad.csv");
    writeFileSync(bad, "file,sender,recipients,number,issuedDate\n,H53.02,H53.03,1/x,2024-01-01\n,H53.02,H53.03,2/x,not-a-date\n");
    const fresh = join(dir, "..", "fresh-data");
    const r = kyso("scan", dir, "--register", bad, "--agencies", AGENCIES_CSV, "--data", fresh);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/bad.csv: row 3: issuedDate must be YYYY-MM-DD/);
    const db = new Database(join(fresh, "kyso.db"), { readonly: true });
    expect((db.prepare("SELECT count(*) n FROM documents").get() as { n: number }).n).toBe(0);
    db.close();
  });
});

describe("kyso scan --agencies", () => {
  it("reads the directory as PUT /api/v1/agencies does, naming a bad row before anything is stored", () => {
    const root = mkdtempSync(join(tmpdir(), "kyso-scan-agencies-"));
    writeFileSync(join(root, "agencies.csv"), "code,name,parent,kind,successor\nH53,UBND tỉnh,,administrative,\nH53.02,Sở Nội vụ,H53,,H53\n");
    writeFileSync(join(root, "m.edxml"), edxml({ from: "H53", to: ["H53.02"], codeNumber: "1", notation: "A", date: "2024/06/21", attachments: [] }));
    const r = kyso("scan", root, "--agencies", join(root, "agencies.csv"), "--data", join(root, "data"), "--no-analyze");
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("agency 2: kind:");
  });
});

describe("kyso scan: register paths", () => {
  it("reads nothing outside the export folder, and refuses a folder named as a file", () => {
    const outside = join(dir, "..", "secret.pdf");
    writeFileSync(outside, "%PDF-1.7 not for the store");
    const fresh = join(dir, "..", "paths-data");
    const row = (file: string) => `file,sender,recipients,number,issuedDate,receivedAt\n${file},H53.02,H53.03,9/P,2024-01-02,2024-01-02T08:00:00Z\n`;
    for (const [file, message] of [
      ["../secret.pdf", /'..\/secret.pdf' is not inside/],
      [outside, /is not inside/],
      ["files", /'files' is not a file/],
    ] as const) {
      const reg = join(dir, "..", "paths.csv");
      writeFileSync(reg, row(file));
      const r = kyso("scan", dir, "--register", reg, "--agencies", AGENCIES_CSV, "--data", fresh);
      expect(r.status, file).toBe(2);
      expect(r.stderr).toMatch(message);
    }
    const db = new Database(join(fresh, "kyso.db"), { readonly: true });
    expect((db.prepare("SELECT count(*) n FROM documents").get() as { n: number }).n).toBe(0);
    db.close();
  });
});

describe("kyso scan of edXML messages", () => {
  it("ingests each message's PDF with the header's metadata, lists other XML, and resumes", () => {
    const root = mkdtempSync(join(tmpdir(), "kyso-scan-edxml-"));
    const folder = join(root, "exchange");
    const store = join(root, "data");
    mkdirSync(folder);
    const pdf = readFileSync(join(ROOT, "fixtures", "pdf", "nd30-personal-then-organization.pdf"));
    const unsigned = readFileSync(join(ROOT, "fixtures", "pdf", "unsigned.pdf"));
    writeFileSync(
      join(folder, "m1.edxml"),
      edxml({
        from: "000.00.03.H53",
        to: ["H53.02"],
        codeNumber: "15",
        notation: "STP-VP",
        date: "2024/06/20",
        attachments: [{ name: "vb.zip", bytes: zipSync({ "vb.pdf": pdf }) }],
      }),
    );
    writeFileSync(
      join(folder, "m2.xml"),
      edxml({ from: "H53.02", to: ["H53.03"], codeNumber: "16", notation: "SNV-VP", date: "2024/06/21", attachments: [{ name: "vb.pdf", bytes: unsigned }] }),
    );
    writeFileSync(join(folder, "status.xml"), "<Status><Code>03</Code></Status>");
    // the declared time received is the file's modification time: fixed here (the period the documents count in)
    for (const f of ["m1.edxml", "m2.xml"]) utimesSync(join(folder, f), new Date("2024-07-01T00:00:00Z"), new Date("2024-07-01T00:00:00Z"));
    const r = kyso("scan", folder, "--agencies", AGENCIES_CSV, "--data", store, "--trust", SAMPLE_TRUST);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain("edXML: 2 new, 0 already in the store (2 document); 1 XML file(s) that are not edXML messages, not ingested:");
    expect(r.stdout).toContain("status.xml");
    const db = new Database(join(store, "kyso.db"), { readonly: true });
    const rows = db.prepare("SELECT sender, number, issued_date, received_at, category, nd30_complete FROM documents ORDER BY number").all();
    const messages = (db.prepare("SELECT count(*) n FROM edxml_messages").get() as { n: number }).n;
    db.close();
    expect(rows).toEqual([
      { sender: "H53.03", number: "15/STP-VP", issued_date: "2024-06-20", received_at: "2024-07-01T00:00:00.000Z", category: "signed-valid", nd30_complete: 1 },
      { sender: "H53.02", number: "16/SNV-VP", issued_date: "2024-06-21", received_at: "2024-07-01T00:00:00.000Z", category: "unsigned", nd30_complete: 0 },
    ]);
    expect(messages).toBe(2);
    const again = kyso("scan", folder, "--data", store);
    expect(again.stdout).toContain("edXML: 0 new, 2 already in the store (2 document)");
  });

  it("stores a message naming an agency the directory lacks, held out as a directory gap", () => {
    const root = mkdtempSync(join(tmpdir(), "kyso-scan-edxml-"));
    const folder = join(root, "exchange");
    mkdirSync(folder);
    const unsigned = readFileSync(join(ROOT, "fixtures", "pdf", "unsigned.pdf"));
    writeFileSync(
      join(folder, "a.edxml"),
      edxml({ from: "H53.02", to: ["H53.03"], codeNumber: "1", notation: "A", date: "2024/06/21", attachments: [{ name: "a.pdf", bytes: unsigned }] }),
    );
    const other = readFileSync(join(ROOT, "fixtures", "pdf", "unsigned-empty-field.pdf"));
    writeFileSync(
      join(folder, "b.edxml"),
      edxml({ from: "000.00.98.H53", to: ["H53.03"], codeNumber: "2", notation: "B", date: "2024/06/21", attachments: [{ name: "b.pdf", bytes: other }] }),
    );
    const r = kyso("scan", folder, "--agencies", AGENCIES_CSV, "--data", join(root, "data"), "--no-analyze");
    expect(r.status, r.stderr).toBe(0);
    const db = new Database(join(root, "data", "kyso.db"), { readonly: true });
    expect(db.prepare("SELECT sender, held FROM documents ORDER BY number").all()).toEqual([
      { sender: "H53.02", held: null },
      { sender: "000.00.98.H53", held: "directory-gap" },
    ]);
    db.close();
  });
});
