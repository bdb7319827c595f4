// edXML messages of the national document exchange: the header becomes the metadata (a legacy agency
// code is mapped through the directory's aliases), the PDF inside a zip attachment is analyzed like an
// upload, the raw message is kept, the same message again is the same document; what was exchanged is
// kept whatever it is (a .doc, an agency the directory lacks), and only unreadable messages are refused.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { strToU8, zipSync } from "fflate";
import { BlobStore } from "../../src/store/blobs.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseEdxml } from "../../src/ingest/edxml.js";
import { FIXTURES } from "../helpers/paths.js";
import { edxml } from "../helpers/edxml.js";
import { useTestClock } from "../helpers/clock.js";
import { startSampleServer, type SampleServer } from "../helpers/sample-server.js";

let s: SampleServer;
beforeAll(async () => {
  // kyso's receipt proves existence, so it is the validation time: taken from the test clock, not the calendar
  useTestClock();
  s = await startSampleServer(12, 23);
}, 120_000);
afterAll(async () => s?.server.close());

// the declared time received (the period it counts in; never the validation time, which is the receipt)
const post = (xml: string) =>
  s.as("ingest", "/api/v1/edxml?receivedAt=2024-07-01T00:00:00Z", { method: "POST", headers: { "content-type": "application/xml" }, body: xml });
const count = () => (s.server.db.prepare("SELECT count(*) n FROM documents").get() as { n: number }).n;

describe("POST /api/v1/edxml", () => {
  it("records the header as metadata and analyzes the PDF inside the zip attachment", async () => {
    // a PDF the sample did not upload already (the same bytes would be the same document)
    const pdf = readFileSync(join(FIXTURES, "nd30-personal-then-organization.pdf"));
    const sender = "H53.03";
    const legacy = "000.00.03.H53";
    const xml = edxml({
      from: legacy,
      to: ["H53.02", "H53.05"],
      codeNumber: "77",
      notation: "STP-VP",
      date: "2024/03/05",
      attachments: [{ name: "vanban.zip", bytes: zipSync({ "77-STP.pdf": pdf, "readme.txt": strToU8("đọc tôi") }) }],
    });
    const r = await post(xml);
    expect(r.status).toBe(202);
    const body = (await r.json()) as { message: string; document: { id: string; sha256: string; existing: boolean }; annexes: string[]; skipped: string[] };
    expect(body.message).toBe(createHash("sha256").update(xml).digest("hex"));
    expect(body.document.sha256).toBe(createHash("sha256").update(pdf).digest("hex"));
    expect([body.annexes, body.skipped]).toEqual([["vanban.zip/readme.txt"], []]);
    await s.server.runner.idle();
    const doc = await (await s.as("viewer", `/api/v1/documents/${body.document.id}`)).json();
    expect(doc).toMatchObject({
      receivedAt: "2024-07-01T00:00:00.000Z",
      sender,
      number: "77/STP-VP",
      issuedDate: "2024-03-05",
      type: "Công văn",
      subject: "V/v triển khai chữ ký số & văn bản điện tử",
      urgency: "Khẩn",
      recipients: ["H53.02", "H53.05"],
      status: "done",
      category: "signed-valid",
      nd30Complete: true,
    });
    expect(readFileSync(new BlobStore(s.server.db.name.replace(/kyso\.db$/, "blobs")).pathOf(body.message), "utf8")).toBe(xml);
    const again = await post(xml);
    expect(((await again.json()) as { document: { id: string; existing: boolean } }).document).toMatchObject({ id: body.document.id, existing: true });
  });

  it("keeps a message whose file is not a PDF or whose sender the directory lacks; refuses unreadable and oversized ones", async () => {
    const base = { from: "H53.02", to: ["H53.03"], codeNumber: "9", notation: "X", date: "2024/01/02" };
    const doc = await post(edxml({ ...base, attachments: [{ name: "a.doc", bytes: strToU8("\u00d0\u00cf not a pdf") }] }));
    expect(doc.status).toBe(202);
    const d = (await doc.json()) as { kind: string; document: { id: string; status: string } };
    expect([d.kind, d.document.status]).toEqual(["document", "done"]);
    expect(s.server.db.prepare("SELECT category, file_kind FROM documents WHERE id = ?").get(d.document.id)).toEqual({
      category: "electronic-not-pdf",
      file_kind: "not-pdf",
    });
    const pdf = readFileSync(join(FIXTURES, "unsigned-empty-field.pdf"));
    const unknown = await post(edxml({ ...base, codeNumber: "10", from: "000.00.99.H53", attachments: [{ name: "a.pdf", bytes: pdf }] }));
    expect(unknown.status).toBe(202);
    const u = (await unknown.json()) as { document: { id: string } };
    expect(s.server.db.prepare("SELECT sender, held FROM documents WHERE id = ?").get(u.document.id)).toEqual({
      sender: "000.00.99.H53",
      held: "directory-gap",
    });
    const before = count();
    expect((await post("<edXMLEnvelope><unclosed></edXMLEnvelope>")).status).toBe(400);
    expect((await post("<html><body>hi</body></html>")).status).toBe(400);
    expect((await s.as("ingest", "/api/v1/edxml", { method: "POST", headers: { "content-type": "application/json" }, body: "{}" })).status).toBe(415);
    const bomb = zipSync({ "big.pdf": new Uint8Array(60 << 20) });
    const big = await post(edxml({ ...base, attachments: [{ name: "bomb.zip", bytes: bomb }] }));
    expect(big.status).toBe(413);
    expect(count()).toBe(before);
  });

  it("is for ingest keys", async () => {
    expect((await s.as("viewer", "/api/v1/edxml", { method: "POST", headers: { "content-type": "application/xml" }, body: "<x/>" })).status).toBe(403);
  });
});

describe("parseEdxml", () => {
  it("takes a directly attached PDF and reads the other date forms", () => {
    const pdf = strToU8("%PDF-1.7\n%%EOF\n");
    const m = parseEdxml(
      edxml({
        from: "H53",
        to: [],
        codeNumber: "1",
        notation: "UBND",
        date: "2024-12-31",
        attachments: [
          { name: "a.pdf", bytes: pdf },
          { name: "b.pdf", bytes: pdf },
        ],
      }),
    );
    if (m.kind !== "document") throw new Error("not a document");
    expect([m.issuedDate, m.number, m.files.map((p) => [p.name, p.kind]), m.from.organName]).toEqual([
      "2024-12-31",
      "1/UBND",
      [
        ["a.pdf", "pdf"],
        ["b.pdf", "pdf"],
      ],
      "Sở Tư pháp",
    ]);
    const other = parseEdxml(edxml({ from: "H53", to: [], codeNumber: "1", notation: "UBND", date: "05/03/2024", attachments: [] }));
    expect(other.kind === "document" && other.issuedDate).toBe("2024-03-05");
    // an unreadable date is no reason to refuse what was exchanged: the period falls back to the time received
    const none = parseEdxml(edxml({ from: "H53", to: [], codeNumber: "1", notation: "UBND", date: "hôm qua", attachments: [] }));
    expect(none.kind === "document" && none.issuedDate).toBeNull();
  });
  it("never expands nested entities or reads external ones (hostile XML)", () => {
    const chain = Array.from({ length: 8 }, (_, i) => `<!ENTITY e${i + 1} "${`&e${i};`.repeat(10)}">`).join("");
    const laughs = `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e0 "lol">${chain}]><edXMLEnvelope><MessageHeader><From><OrganId>&e8;</OrganId></From></MessageHeader></edXMLEnvelope>`;
    expect((parseEdxml(laughs) as { from: { organId: string } }).from.organId.length).toBeLessThan(100);
    const external = `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><edXMLEnvelope><MessageHeader><From><OrganId>&xxe;</OrganId></From></MessageHeader></edXMLEnvelope>`;
    expect(() => parseEdxml(external)).toThrow(/not well-formed|External entities/);
  });
});
