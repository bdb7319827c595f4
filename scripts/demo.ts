// `npm run demo`: generates the sample province (a year of exchanges), starts `kyso serve` on the embedded
// store (no Redis, nothing else), ingests the sample through the real HTTP API, prints the province figure
// and the per-agency table, and keeps serving on port 8080 (Ctrl-C to stop).
import { readFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { AGENCIES_CSV, generateSample, SAMPLE_TRUST, type SampleItem } from "../fixtures/sample/generate.js";
import { serverOptionsFromEnv, startServer } from "../src/server.js";
import { Progress } from "../src/cli/progress.js";
import { createKey, type Role } from "../src/store/sqlite/keys.js";

const env = { ...process.env, KYSO_DATA_DIR: process.env.KYSO_DATA_DIR ?? "./data/demo" };
const o = serverOptionsFromEnv(env);
o.trustDirs = [...o.trustDirs, SAMPLE_TRUST];
const sampleDir = resolve(o.dataDir, "sample");
const pct = (x: number | null) => (x === null ? "   –  " : `${(x * 100).toFixed(1).padStart(5)}%`);

async function main(): Promise<void> {
  process.stdout.write(`Generating the sample province in ${sampleDir} …\n`);
  const items: SampleItem[] = generateSample(sampleDir, { documents: Number(process.env.KYSO_DEMO_DOCUMENTS ?? 240) });
  const server = await startServer(o);
  process.stdout.write(`kyso serving ${server.url} (data in ${o.dataDir})\n`);
  // one key per role, as the IT department would create them with `kyso keys create`
  const keys = Object.fromEntries(
    (["ingest", "viewer", "auditor", "admin"] as Role[]).map((role) => [role, createKey(server.db, role, `demo ${role}`, "demo").key]),
  ) as Record<Role, string>;
  const api = (role: Role, path: string, init: RequestInit = {}) =>
    fetch(`${server.url}${path}`, { ...init, headers: { ...(init.headers as Record<string, string>), authorization: `Bearer ${keys[role]}` } });
  const put = await api("admin", "/api/v1/agencies", { method: "PUT", headers: { "content-type": "text/csv" }, body: readFileSync(AGENCIES_CSV) });
  if (!put.ok) throw new Error(`agencies: ${await put.text()}`);
  const files = items.filter((i) => i.file);
  const up = new Progress(process.stdout, "uploading ", files.length);
  for (const item of files) {
    const form = new FormData();
    form.set("file", new Blob([readFileSync(join(sampleDir, item.file!))], { type: "application/pdf" }), item.file!.split("/").pop());
    for (const [k, v] of Object.entries(item.meta)) form.set(k, v);
    const r = await api("ingest", "/api/v1/documents", { method: "POST", body: form });
    if (r.status !== 202) throw new Error(`upload ${item.file}: ${r.status} ${await r.text()}`);
    up.tick();
  }
  up.done();
  const paper = items.filter((i) => !i.file).map((i) => i.meta);
  const ex = await api("ingest", "/api/v1/exchanges", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(paper) });
  if (ex.status !== 201) throw new Error(`register rows: ${await ex.text()}`);
  process.stdout.write(`registered ${paper.length} paper and classified exchanges\n`);
  const total = (server.db.prepare("SELECT count(*) n FROM documents WHERE channel = 'electronic'").get() as { n: number }).n;
  const analyzing = new Progress(process.stdout, "analyzing ", total);
  const timer = setInterval(
    () => analyzing.set((server.db.prepare("SELECT count(*) n FROM documents WHERE status IN ('done', 'failed')").get() as { n: number }).n),
    250,
  );
  await server.runner.idle();
  clearInterval(timer);
  analyzing.set(total);
  analyzing.done();

  const year = items[0]!.meta.issuedDate.slice(0, 4);
  const q = `from=${year}-01-01&to=${year}-12-31`;
  const s = await (await api("viewer", `/api/v1/stats/summary?${q}`)).json();
  const a = await (await api("viewer", `/api/v1/stats/agencies?${q}`)).json();
  process.stdout.write(`\nTỉnh Tây Ninh (sample), ${s.period.from} – ${s.period.to}: documents exchanged between administrative agencies\n`);
  process.stdout.write(
    `  electronic and validly signed: ${s.numerator} of ${s.denominator} = ${pct(s.rate)}   target ${(s.target * 100).toFixed(0)}%   gap ${s.gap} documents\n`,
  );
  process.stdout.write(
    `  by category: ${Object.entries(s.byCategory)
      .map(([k, v]) => `${k} ${v}`)
      .join(", ")}\n`,
  );
  process.stdout.write(
    `  full Nghị định 30 form: ${s.nd30Complete}; trend ${s.trend.slopePerMonth === null ? "–" : `${(s.trend.slopePerMonth * 100).toFixed(2)} points/month`}, target reached ${s.trend.projectedMonth ?? "not on the current trend"}\n`,
  );
  process.stdout.write(
    `  policy: signed scans count ${s.policy.signedScansCount ? "yes" : "no"}; Nghị định 30 form required ${s.policy.requireNd30 ? "yes" : "no"}\n\n`,
  );
  process.stdout.write(`  rank  code        rate    signed/total  gap  agency\n`);
  for (const g of a.agencies as Array<{
    code: string;
    name: string;
    denominator: number;
    numerator: number;
    rate: number | null;
    gap: number;
    rank: number | null;
  }>) {
    if (g.denominator === 0) continue;
    process.stdout.write(
      `  ${String(g.rank ?? "–").padStart(4)}  ${g.code.padEnd(10)} ${pct(g.rate)}  ${String(g.numerator).padStart(6)}/${String(g.denominator).padEnd(5)}  ${String(g.gap).padStart(3)}  ${g.name}\n`,
    );
  }
  const sample = (
    server.db.prepare("SELECT id FROM documents WHERE category = 'signed-valid' AND nd30_complete = 1 LIMIT 1").get() as { id: string } | undefined
  )?.id;
  process.stdout.write(`\nThe API stays up at ${server.url}; Ctrl-C to stop. Keys made for this run (kyso keys list --data ${o.dataDir}):\n`);
  for (const [role, key] of Object.entries(keys)) process.stdout.write(`  ${role.padEnd(8)} ${key}\n`);
  process.stdout.write(
    `Sign in once at ${server.url}/sign-in?next=/dashboard (the auditor key opens the dashboard, ${server.url}/auditor and ${server.url}/check alike), or try:\n  curl -H "Authorization: Bearer ${keys.viewer}" "${server.url}/api/v1/stats/summary?${q}"\n  curl -H "Authorization: Bearer ${keys.viewer}" "${server.url}/api/v1/reports/leadership?period=${year}" > bao-cao-${year}.pdf\n`,
  );
  if (sample) {
    process.stdout.write(`  curl -H "Authorization: Bearer ${keys.auditor}" ${server.url}/api/v1/documents/${sample}/report.html > report.html\n`);
    process.stdout.write(`  curl -H "Authorization: Bearer ${keys.auditor}" ${server.url}/api/v1/documents/${sample}/evidence > evidence.zip\n`);
    // the demo's documents chain to the fixture root, which a machine trusts only when told to
    process.stdout.write(
      `  npx kyso audit evidence evidence.zip --trust ${relative(process.cwd(), SAMPLE_TRUST) || "."} --key "$(npx kyso audit key --data ${o.dataDir} | head -1)"\n`,
    );
  }
  process.stdout.write(`  curl -H "Authorization: Bearer ${keys.auditor}" ${server.url}/api/v1/audit/verify\n`);
  if (process.env.KYSO_DEMO_EXIT === "1") {
    await server.close();
    return;
  }
  await new Promise<void>((resolveStop) => {
    const stop = () => void server.close().then(resolveStop);
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
}

main().catch((e) => {
  process.stderr.write(`demo: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
