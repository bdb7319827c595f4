// The four states of issue 25's acceptance through the service itself: documents uploaded and analysed by
// kyso serve (its receipt is their proof of existence), and a paper row of a register, each report page read
// from GET /api/v1/documents/:id/report.html as text, in both languages: the state said once, without its
// contradiction beside it.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_POLICY } from "../../src/compliance/index.js";
import { startServer, type RunningServer } from "../../src/server.js";
import { createKey } from "../../src/store/sqlite/keys.js";
import { FIXTURES, ROOT } from "../helpers/paths.js";
import { useTestClock } from "../helpers/clock.js";

const AGENCIES = [
  { code: "000.00.00.H53", name: "Ủy ban nhân dân tỉnh Tây Ninh", parent: null, kind: "administrative" },
  { code: "000.00.01.H53", name: "Sở Tài chính tỉnh Tây Ninh", parent: "000.00.00.H53", kind: "administrative" },
];
const META = { sender: "000.00.01.H53", recipients: "000.00.00.H53", issuedDate: "2024-06-15", receivedAt: "2024-06-15T09:00:00+07:00" };

let s: RunningServer;
let as: (path: string, init?: RequestInit) => Promise<Response>;
const ids: Record<string, string> = {};

let restoreClock = () => {};
beforeAll(async () => {
  // kyso's receipt proves existence, so it is the validation time: the test clock's, not the calendar's
  restoreClock = useTestClock();
  s = await startServer({
    dataDir: mkdtempSync(join(tmpdir(), "kyso-states-")),
    port: 0,
    host: "127.0.0.1",
    trustDirs: [join(ROOT, "fixtures", "trust")],
    concurrency: 1,
    timeoutMs: 20_000,
    policy: DEFAULT_POLICY,
    maxBodyBytes: 50 << 20,
    publishHeads: null,
  });
  const admin = createKey(s.db, "admin", "test", "test").key;
  as = (path, init = {}) => fetch(`${s.url}${path}`, { ...init, headers: { ...(init.headers as Record<string, string>), authorization: `Bearer ${admin}` } });
  expect((await as("/api/v1/agencies", { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify(AGENCIES) })).status).toBe(200);
  for (const [name, file] of [
    ["invalid", "content-replaced-after-signing.pdf"],
    ["expired", "expired-signer.pdf"],
    ["softFail", "signed-cades-rsa-sha256.pdf"],
  ] as const) {
    const form = new FormData();
    form.set("file", new Blob([readFileSync(join(FIXTURES, file))], { type: "application/pdf" }), file);
    for (const [k, v] of Object.entries({ ...META, number: `${name}/STC` })) form.set(k, v);
    ids[name] = ((await (await as("/api/v1/documents", { method: "POST", body: form })).json()) as { id: string }).id;
  }
  const paper = await as("/api/v1/exchanges", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify([{ ...META, recipients: [META.recipients], number: "paper/STC", channel: "paper" }]),
  });
  expect(paper.status).toBe(201);
  ids.paper = ((await paper.json()) as { documents: Array<{ id: string }> }).documents[0]!.id;
  await s.runner.idle();
}, 60_000);
afterAll(async () => {
  await s?.close();
  restoreClock();
});

/** The page as a reader sees it, and the state its verdict carries. */
async function read(id: string, lang: "vi" | "en") {
  const html = await (await as(`/api/v1/documents/${id}/report.html?lang=${lang}`)).text();
  const text = html
    .replace(/<style>[\s\S]*?<\/style>/, "")
    .replace(/<\/(tr|p|h1|h2|li|table|summary)>/g, "\n")
    .replace(/<\/t[hd]>/g, " | ")
    .replace(/<[^>]+>/g, "")
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)));
  return {
    text,
    state: /id="verdict" data-state="([\w-]+)"/.exec(html)?.[1] ?? null,
    proofLines: text.split("\n").filter((l) => /^(Proof of existence|Chứng cứ tồn tại) \|/.test(l)),
  };
}

describe.each(["en", "vi"] as const)("report pages of stored documents, in %s", (lang) => {
  const en = lang === "en";

  it("signed, then its content changed: invalid, said as a change, once per signature", async () => {
    const p = await read(ids.invalid!, lang);
    expect(p.state).toBe("invalid");
    expect(p.text).toContain(en ? "the content was changed after signing (in a later revision)" : "nội dung đã bị thay đổi sau khi ký (ở một phiên bản sau)");
    expect(p.text).not.toMatch(
      en
        ? /no revision after the signed one|Validly signed|malformed/
        : /không có phiên bản nào sau phiên bản đã ký|Văn bản có chữ ký số hợp lệ|không đúng định dạng/,
    );
    expect(p.proofLines).toHaveLength(1);
  });

  it("an expired certificate and nothing earlier than kyso's receipt: expiry, the anchor named, never 'not trusted'", async () => {
    const p = await read(ids.expired!, lang);
    expect(p.state).toBe("indeterminate");
    expect(p.text).toMatch(en ? /Verdict: [^\n]*the certificate has expired/ : /Kết luận: [^\n]*chứng thư đã hết hạn/);
    expect(p.text).toContain("CN=Kyso Test Root CA (chuyên dùng), O=Kyso Test PKI, C=VN");
    expect(p.text).not.toMatch(
      en
        ? /does not reach a trusted anchor|no certificate path to a trusted authority/
        : /không tới được chứng thư gốc tin cậy|không tìm thấy chuỗi chứng thư tới/,
    );
    // kyso's receipt proves existence once, on the signature's line; the document's row says receipt
    expect(p.proofLines).toHaveLength(1);
    expect(p.proofLines[0]).toMatch(en ? /kyso's own receipt of the document/ : /thời điểm kyso nhận văn bản/);
    expect(p.text).toMatch(
      en ? /^Received by kyso \| \d{2}\/\d{2}\/\d{4} \d{2}:\d{2}:\d{2} \| ?$/m : /^Thời điểm kyso nhận văn bản \| \d{2}\/\d{2}\/\d{4} \d{2}:\d{2}:\d{2} \| ?$/m,
    );
    expect(p.text).toMatch(en ? /^Received \(as declared\) \| 15\/06\/2024 09:00:00/m : /^Thời điểm nhận \(theo khai báo\) \| 15\/06\/2024 09:00:00/m);
  });

  it("valid, revocation not checked (soft-fail): the warning state, not 'valid' alone", async () => {
    const p = await read(ids.softFail!, lang);
    expect(p.state).toBe("valid-revocation-unchecked");
    expect(p.text).toContain(
      en
        ? "Validly signed, but whether the certificate was revoked could not be checked"
        : "Văn bản có chữ ký số hợp lệ, nhưng chưa kiểm tra được chứng thư số có bị thu hồi hay không",
    );
    expect(p.proofLines).toHaveLength(1);
  });

  it("a paper document: paper, its receipt in Vietnam's time, no signature words", async () => {
    const p = await read(ids.paper!, lang);
    expect(p.state).toBeNull();
    expect(p.text.split(en ? "A paper exchange" : "Văn bản giấy:").length - 1).toBe(1);
    expect(p.text).toContain("15/06/2024 09:00:00");
    expect(p.text).not.toMatch(/\d{4}-\d{2}-\d{2}T/);
    expect(p.proofLines).toEqual([]);
  });
});
