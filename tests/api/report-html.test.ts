// The report page says one thing at a time (issue 25, report contradictions): an expired certificate's
// path names the anchor it reaches and why it fails, not "no trusted anchor"; a signature with no later
// revision says so rather than "changes: none" above a broken hash; pages carry a viewport for phones;
// a paper document's receipt time is Vietnam's time, not raw UTC.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { analyzeStructure as analyze } from "../../src/analyze.js";
import { loadTrustStore } from "../../src/config.js";
import { renderReportHtml } from "../../src/api/report-html.js";
import { renderNoReportHtml } from "../../src/api/no-report-html.js";
import type { DocumentRow } from "../../src/store/sqlite/documents.js";
import { AT, FIXTURES, ROOT } from "../helpers/paths.js";

const trust = loadTrustStore([join(ROOT, "fixtures", "trust")]);
const doc = {
  id: "d1",
  number: "12/UBND",
  sender: "H53.01",
  subject: "x",
  received_at: "2024-05-06T01:02:03.000Z",
  category: "signed-indeterminate",
  counts: 0,
} as unknown as DocumentRow;
const page = (file: string, lang: "vi" | "en") =>
  renderReportHtml({ document: doc, senderName: null, report: analyze(readFileSync(join(FIXTURES, file)), { now: AT, trust }), entries: [] }, lang);

describe("the report page", () => {
  it("names the anchor an expired certificate's path reaches, and why it does not hold", () => {
    const r = analyze(readFileSync(join(FIXTURES, "expired-signer.pdf")), { now: AT, trust });
    expect([r.signatures[0]!.chain.trusted, r.signatures[0]!.chain.anchor]).toEqual([false, expect.any(String)]);
    const en = page("expired-signer.pdf", "en");
    expect(en).toContain(`reaches the trusted anchor ${r.signatures[0]!.chain.anchor}, but the path is not valid at the time judged`);
    expect(en).not.toContain("does not reach a trusted anchor");
    expect(page("expired-signer.pdf", "vi")).toContain(`tới chứng thư gốc tin cậy ${r.signatures[0]!.chain.anchor}, nhưng`);
  });

  it("does not say 'changes: none' above a signature whose signed bytes were changed", () => {
    const en = page("tampered-signed-byte.pdf", "en");
    expect(en).toContain("no revision after the signed one (the signed bytes are judged under Result)");
    expect(en).not.toMatch(/<th>[^<]*<\/th><td>none<\/td>/);
  });

  it("lays out on a phone's width, and gives a paper document's receipt in Vietnam's time", () => {
    expect(page("unsigned.pdf", "vi")).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    const paper = renderNoReportHtml({ ...doc, channel: "paper", status: "paper", category: "paper" } as DocumentRow, null, "vi");
    expect(paper).toContain('<meta name="viewport"');
    expect(paper).not.toContain("2024-05-06T01:02:03.000Z");
    expect(paper).toMatch(/08:02:03/);
  });
});
