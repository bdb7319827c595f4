// Older formats still in service and envelopes that are not documents (issue 23, EXCHANGE.md): a pre-2016
// "e-doc.vn" SOAP message and its status (times dd/MM/yyyy, codes 1–6, no DocumentId) are read like the
// current format, the status answering the document its ResponseFor names; an envelope in the edXML
// namespace with no document header is listed as not-a-document and never counted.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { edocSoapMessage, edocSoapStatus } from "../../fixtures/lib/edxml.js";
import { parseEdxml } from "../../src/ingest/edxml.js";
import { ROOT } from "../helpers/paths.js";

const pdf = readFileSync(join(ROOT, "fixtures", "pdf", "unsigned.pdf"));
const UBND = { id: "000.00.00.H53", name: "Ủy ban nhân dân tỉnh Tây Ninh" };
const SNV = { id: "000.00.01.H53", name: "Sở Nội vụ tỉnh Tây Ninh" };
const legacy = edocSoapMessage({
  from: UBND,
  to: [SNV],
  documentId: "",
  codeNumber: "12",
  notation: "UBND-VP",
  date: "15/03/2015",
  subject: "V/v triển khai văn bản điện tử",
  trace: [{ organ: UBND.id, time: "15/03/2015 08:30:00" }],
  attachments: [{ name: "12-UBND.pdf", contentType: "application/pdf", bytes: pdf }],
});
const status = edocSoapStatus({
  from: SNV,
  responseFor: { organId: UBND.id, code: "12/UBND-VP", date: "15/03/2015", documentId: "" },
  statusCode: "3",
  description: "Đã vào sổ văn bản đến",
  time: "16/03/2015 09:00:00",
});
const notADocument = `<?xml version="1.0" encoding="UTF-8"?>
<edXML xmlns:edXML="http://www.mic.gov.vn/TBT/QCVN_102_2016"><edXML:edXMLEnvelope><edXML:edXMLHeader><edXML:MessageHeader>
<edXML:From><edXML:OrganId>000.00.00.H53</edXML:OrganId><edXML:OrganName>Trung tâm dữ liệu</edXML:OrganName></edXML:From>
<edXML:Subject>Báo cáo quét mã độc hằng ngày</edXML:Subject></edXML:MessageHeader></edXML:edXMLHeader></edXML:edXMLEnvelope></edXML>
`;

describe("the pre-2016 e-doc.vn format", () => {
  it("reads the SOAP message like the current one: sender, number, date, trace time, the PDF named in its manifest", () => {
    const m = parseEdxml(legacy);
    expect(m.kind).toBe("document");
    if (m.kind !== "document") return;
    expect([m.from.organId, m.number, m.issuedDate, m.traceTime, m.business]).toEqual([
      UBND.id,
      "12/UBND-VP",
      "2015-03-15",
      "2015-03-15T08:30:00+07:00",
      "new",
    ]);
    expect(m.files.map((f) => [f.name, f.kind])).toEqual([["12-UBND.pdf", "pdf"]]);
  });

  it("reads its status message from SOAP-ENV:Header/edXML:Status, with its dd/MM/yyyy time", () => {
    const s = parseEdxml(status);
    expect(s.kind).toBe("status");
    if (s.kind !== "status") return;
    expect([s.statusCode, s.time, s.responseFor]).toEqual([
      "3",
      "2015-03-16T09:00:00+07:00",
      { organId: UBND.id, number: "12/UBND-VP", issuedDate: "2015-03-15" },
    ]);
  });
});

describe("kyso scan over old and odd messages", () => {
  it("counts the legacy document, records its status on it, and lists the envelope that is not a document", () => {
    const dir = mkdtempSync(join(tmpdir(), "kyso-legacy-"));
    const msgs = join(dir, "messages");
    mkdirSync(msgs);
    writeFileSync(join(msgs, "1-legacy.xml"), legacy);
    writeFileSync(join(msgs, "2-legacy-status.xml"), status);
    writeFileSync(join(msgs, "3-antivirus-report.edxml"), notADocument);
    const agencies = join(dir, "agencies.csv");
    writeFileSync(agencies, `code,name,parent,kind\n${UBND.id},${UBND.name},,administrative\n${SNV.id},${SNV.name},${UBND.id},administrative\n`);
    const data = join(dir, "data");
    const r = spawnSync(process.execPath, [join(ROOT, "bin", "kyso.js"), "scan", msgs, "--agencies", agencies, "--data", data, "--json", "--no-analyze"], {
      encoding: "utf8",
    });
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { messages: Array<{ file: string; kind: string; reason?: string }> };
    expect(out.messages.map((m) => [m.file, m.kind])).toEqual([
      ["1-legacy.xml", "document"],
      ["2-legacy-status.xml", "status"],
      ["3-antivirus-report.edxml", "not-a-document"],
    ]);
    expect(out.messages[2]!.reason).toMatch(/no document header/);
    const db = new Database(join(data, "kyso.db"), { readonly: true });
    expect(db.prepare("SELECT number, sender, channel FROM documents").all()).toEqual([{ number: "12/UBND-VP", sender: UBND.id, channel: "electronic" }]);
    expect(db.prepare("SELECT e.code, d.number FROM document_events e JOIN documents d ON d.id = e.document_id WHERE e.kind = 'status'").all()).toEqual([
      { code: "3", number: "12/UBND-VP" },
    ]);
    db.close();
  });
});
