// Who sealed each document of the sample province (issue 24), end to end on the embedded default: every
// document's signerBinding is the one the generator built it with; the sealed-by-sender figures, with the
// policy off and then on (KYSO_REQUIRE_SENDER_SEAL), equal counts made here from the ground truth alone;
// the log replays them; and a signer name added to the directory moves a document's binding.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_POLICY } from "../../src/compliance/index.js";
import { createKey } from "../../src/store/sqlite/keys.js";
import { startServer, type RunningServer } from "../../src/server.js";
import { checkStore } from "../../src/store/sqlite/check.js";
import { AGENCIES_CSV, generateSample, SAMPLE_TRUST, type SampleItem } from "../../fixtures/sample/generate.js";

let root: string;
let dataDir: string;
let items: SampleItem[];
let server: RunningServer;
let key = "";
const Q = "from=2024-01-01&to=2024-12-31";
const api = async (path: string, init: RequestInit = {}) => {
  const r = await fetch(`${server.url}${path}`, { ...init, headers: { ...(init.headers as Record<string, string>), authorization: `Bearer ${key}` } });
  expect(r.status, `${path}: ${r.status}`).toBeLessThan(300);
  return r.json() as Promise<any>; // eslint-disable-line @typescript-eslint/no-explicit-any
};
const start = (requireSenderSeal: boolean) =>
  startServer({
    dataDir,
    port: 0,
    host: "127.0.0.1",
    trustDirs: [SAMPLE_TRUST],
    concurrency: 2,
    timeoutMs: 20_000,
    policy: { ...DEFAULT_POLICY, requireSenderSeal },
    maxBodyBytes: 50 * 1024 * 1024,
    publishHeads: null,
  });

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), "kyso-binding-"));
  dataDir = join(root, "data");
  items = generateSample(join(root, "sample"), { documents: 240, seed: 2024 }); // the demo's own sample
  server = await start(false);
  key = createKey(server.db, "admin", "binding", "test").key;
  await api("/api/v1/agencies", { method: "PUT", headers: { "content-type": "text/csv" }, body: readFileSync(AGENCIES_CSV) });
  for (const item of items.filter((i) => i.file)) {
    const form = new FormData();
    form.set("file", new Blob([readFileSync(join(root, "sample", item.file!))], { type: "application/pdf" }), "a.pdf");
    for (const [k, v] of Object.entries(item.meta)) form.set(k, v);
    await api("/api/v1/documents", { method: "POST", body: form });
  }
  await api("/api/v1/exchanges", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(items.filter((i) => !i.file).map((i) => i.meta)),
  });
  await server.runner.idle();
}, 300_000);
afterAll(async () => server?.close());

/** The counts made from the ground truth alone: signed-valid documents, and those the sender sealed, per agency. */
function truth() {
  const per = new Map<string, { signedValid: number; bySender: number }>();
  for (const i of items) {
    if (i.expected.category !== "signed-valid") continue;
    const a = per.get(i.meta.sender) ?? { signedValid: 0, bySender: 0 };
    a.signedValid++;
    if (i.expected.binding?.status === "sender") a.bySender++;
    per.set(i.meta.sender, a);
  }
  const all = [...per.values()].reduce((t, a) => ({ signedValid: t.signedValid + a.signedValid, bySender: t.bySender + a.bySender }), {
    signedValid: 0,
    bySender: 0,
  });
  return { per, all };
}

type Doc = { sender: string; number: string; category: string; signerBinding: { status: string; agency?: string; name: string; rule: string } | null };
async function allDocuments(): Promise<Doc[]> {
  const out: Doc[] = [];
  for (let cursor: string | null = null; ;) {
    const page: { documents: Doc[]; next: string | null } = await api(`/api/v1/documents?limit=500${cursor ? `&cursor=${cursor}` : ""}`);
    out.push(...page.documents);
    if (!(cursor = page.next)) return out;
  }
}

describe("who sealed the sample province's documents", () => {
  it("gives each document the binding it was built with, naming the agency and the rule", async () => {
    const docs = new Map((await allDocuments()).map((d) => [`${d.sender} ${d.number}`, d]));
    const kinds = new Set<string>();
    for (const i of items.filter((x) => x.expected.binding)) {
      const d = docs.get(`${i.meta.sender} ${i.meta.number}`)!;
      expect([i.meta.number, d.signerBinding?.status, d.signerBinding?.agency]).toEqual([
        i.meta.number,
        i.expected.binding!.status,
        i.expected.binding!.agency,
      ]);
      expect(d.signerBinding!.rule.length).toBeGreaterThan(10);
      kinds.add(i.expected.binding!.status);
    }
    // the sample holds each way a real province seals
    expect([...kinds].sort()).toEqual(["another-agency", "no-organisation-signature", "sender"]);
    // a document sealed by another agency is listed as such, with who sealed it
    const other = (await api(`/api/v1/documents?binding=another-agency&${Q}&limit=500`)).documents as Array<{
      sender: string;
      signerBinding: { agency: string };
    }>;
    expect(other.length).toBe(items.filter((i) => i.expected.binding?.status === "another-agency").length);
    for (const d of other) expect(d.signerBinding.agency).not.toBe(d.sender);
    // and its report page says who sealed it, in Vietnamese and in English
    const one = other[0] as unknown as { id: string; signerBinding: { agency: string; name: string } };
    for (const [lang, words] of [
      ["vi", "cơ quan khác ký số tổ chức"],
      ["en", "sealed by another agency"],
    ] as const) {
      const html = await (
        await fetch(`${server.url}/api/v1/documents/${one.id}/report.html?lang=${lang}`, { headers: { authorization: `Bearer ${key}` } })
      ).text();
      expect(html).toContain(`data-status="another-agency">${words} — ${one.signerBinding.name} (${one.signerBinding.agency})`);
    }
  });

  it("reports the share sealed by the sender as the ground truth gives it, with the policy off", async () => {
    const t = truth();
    const s = await api(`/api/v1/stats/summary?${Q}`);
    expect(s.sealedBySender).toEqual({ ...t.all, share: t.all.bySender / t.all.signedValid });
    expect(s.byCategory["signed-valid-not-sender"]).toBe(0);
    const a = await api(`/api/v1/stats/agencies?${Q}`);
    for (const g of a.agencies as Array<{ code: string; sealedBySender: { signedValid: number; bySender: number } }>) {
      const want = t.per.get(g.code) ?? { signedValid: 0, bySender: 0 };
      expect([g.code, g.sealedBySender.signedValid, g.sealedBySender.bySender]).toEqual([g.code, want.signedValid, want.bySender]);
    }
  });

  it("takes documents not sealed by their sender out of the numerator under KYSO_REQUIRE_SENDER_SEAL, into a category of their own", async () => {
    const before = await api(`/api/v1/stats/summary?${Q}`);
    await server.close();
    server = await start(true);
    const t = truth();
    const s = await api(`/api/v1/stats/summary?${Q}`);
    const notSealed = t.all.signedValid - t.all.bySender;
    expect(notSealed).toBeGreaterThan(0);
    expect(s.byCategory["signed-valid-not-sender"]).toBe(notSealed);
    expect(s.byCategory["signed-valid"]).toBe(t.all.bySender);
    expect(s.denominator).toBe(before.denominator); // still in the denominator
    const countedNotSealed = items.filter((i) => i.expected.counts && i.expected.binding && i.expected.binding.status !== "sender").length;
    expect(s.numerator).toBe(before.numerator - countedNotSealed);
    // what to do next names the agencies concerned
    const next = await api(`/api/v1/stats/next?${Q}`);
    const seal = next.steps.find((x: { kind: string }) => x.kind === "seal");
    expect(seal.agencies.length).toBeGreaterThan(0);
    for (const g of seal.agencies as Array<{ code: string; documents: number }>) {
      const want = items.filter((i) => i.meta.sender === g.code && i.expected.binding && i.expected.binding.status !== "sender").length;
      expect([g.code, g.documents]).toEqual([g.code, want]);
    }
    // and the log replays the figures under the policy
    expect(checkStore(server.db)).toMatchObject({ ok: true, figures: { ok: true } });
    // back off: the numerator returns
    await server.close();
    server = await start(false);
    expect((await api(`/api/v1/stats/summary?${Q}`)).numerator).toBe(before.numerator);
  }, 60_000);

  it("moves a document's binding when the directory learns or forgets how an agency's certificates spell it", async () => {
    // Gò Dầu's certificates say "UBND HUYỆN GÒ DẦU"; the directory knows it as "Ủy ban nhân dân huyện Gò Dầu"
    const mine = () => api(`/api/v1/documents?sender=H53.28&binding=sender&limit=500`).then((r) => r.documents.length as number);
    const sealed = await mine();
    expect(sealed).toBeGreaterThan(0);
    const row = { code: "H53.28", name: "Ủy ban nhân dân huyện Gò Dầu", parent: "H53", kind: "administrative", aliases: "000.00.28.H53" };
    await api("/api/v1/agencies", { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify([row]) });
    expect(await mine()).toBe(0);
    const lost = (await api(`/api/v1/documents?sender=H53.28&binding=not-matched&limit=500`)).documents as Array<{ signerBinding: { name: string } }>;
    expect(lost.length).toBe(sealed);
    expect(lost[0]!.signerBinding.name).toMatch(/GÒ DẦU/);
    await api("/api/v1/agencies", {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify([{ ...row, signerNames: ["UBND HUYỆN GÒ DẦU"] }]),
    });
    expect(await mine()).toBe(sealed);
    expect(checkStore(server.db)).toMatchObject({ ok: true, figures: { ok: true } });
  }, 60_000);
});
