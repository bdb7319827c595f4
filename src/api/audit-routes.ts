// The auditors' routes: the verification log (paged, or streamed as the JSONL export), the chain check,
// the per-document evidence archive and human-readable report, and the admin's re-verification.
import { REPORT_PAGE_HEADERS } from "./page.js";
import { z } from "@hono/zod-openapi";
import type { OpenAPIHono } from "@hono/zod-openapi";
import { existsSync } from "node:fs";
import { AUDIT_ACTIONS } from "../log/input.js";
import type { AuditFilter } from "../log/filter.js";
import { exportLines } from "../log/export-script.js";
import { ProofError } from "../log/proof.js";
import { describeBroken, type StoreCheck } from "../store/check/store-check.js";
import { keptHeadsIn } from "../store/sqlite/heads.js";
import { ParseThread, threadPath } from "../ingest/parse-thread.js";
import type { StoreCheckJob } from "./store-check-thread.js";
import { startReverificationOn } from "../lifecycle/reverify.js";
import type { DocumentReport } from "../verify/report.js";
import type { MountedDeps } from "./deps.js";
import { VerifiedHead } from "./verified-head.js";
import { BackgroundReplay } from "./store-replay.js";
import type { KeptHead } from "../log/signed-history.js";
import type { Context } from "hono";
import { now } from "../clock.js";
import { routes } from "./http.js";
import { ApiError } from "./errors.js";
import { calendarDay, ErrorBody, json, Loose } from "./schemas.js";
import { actorOf, securedRoute, type AuthEnv } from "./auth.js";
import { evidenceJob, type EvidenceJob } from "./evidence.js";
import { renderReportHtml } from "./report-html.js";
import { renderNoReportHtml } from "./no-report-html.js";
import { trustView } from "./report-trust.js";

const day = calendarDay("the day");
/** A head seen earlier, kept outside the server: a check also proves the log still holds it. */
const recordedHead = {
  seq: z.coerce.number().int().min(1).optional(),
  hash: z
    .string()
    .regex(/^[0-9a-f]{64}$/, "a lowercase SHA-256")
    .optional(),
};
/** Windows of the documents table a re-verification queues within its request (~5 ms each) before the background takes over. */
const INLINE_REVERIFY_STEPS = 5;

/** The auditors' routes, as a sub-app the API mounts. */
export function auditRoutes(deps: MountedDeps): OpenAPIHono<AuthEnv> {
  const app = routes();
  const { blobs, documents, auditLog } = deps;
  const verified = deps.verified ?? new VerifiedHead();
  const auditor = ["auditor"] as const;
  // the full check reads the whole store: in its own thread, on its own connection to the store (deps.store)
  // evidence archives are made on their own thread (a large PDF is read, hashed and zipped there)
  const archiver = new ParseThread<EvidenceJob, Uint8Array>(
    threadPath("evidence-thread", "api"),
    { timeoutMs: 120_000, maxHeapMb: 1024 },
    (m) => new ApiError(503, "EVIDENCE_FAILED", `the evidence archive could not be made: ${m}`),
  );
  const checker = new ParseThread<Omit<StoreCheckJob, "id">, StoreCheck>(
    threadPath("store-check-thread", "api"),
    { timeoutMs: 30 * 60_000, maxHeapMb: 4096 },
    (m) => new ApiError(503, "CHECK_FAILED", `the store check could not run: ${m}`),
  );
  // the whole store on request is the server's full check (its progress on /readyz and here); an API
  // mounted without a server keeps its own, not run in the background
  const fullCheck = deps.fullCheck ?? new BackgroundReplay(deps.store, deps.headsFile ?? null, 24 * 3600_000, now, verified);

  /** The check's answer, failed when a head recorded earlier (an export, an auditor's note) is no longer in the log as it was. */
  const withRecordedHead = async (r: StoreCheck, seq?: number, hash?: string): Promise<StoreCheck> => {
    if (!r.ok || seq === undefined || hash === undefined) return r;
    const e = (await auditLog.page({}, seq - 1, 1)).entries[0];
    if (!e || e.seq !== seq)
      return { ...r, ok: false, broken: { seq, reason: `entry ${seq}, a head recorded earlier (an export, an auditor's note), is no longer in the log` } };
    if (e.hash !== hash) return { ...r, ok: false, broken: { seq, reason: `entry ${seq} no longer has the hash recorded earlier: the log was rewritten` } };
    return r;
  };

  /** What a check answers: what it covered (since a verified head, or the whole store), and what failed. */
  const answer = (r: StoreCheck, since: KeptHead | null) => ({
    ok: r.ok,
    mode: since ? "since" : "full",
    since: since?.size ?? null,
    fullCheck: verified.lastFull,
    entries: r.entries,
    signed: r.signed ?? 0,
    keptHeads: r.keptHeads ?? 0,
    head: r.head,
    ...(r.figures ? { figures: r.figures } : {}),
    ...(r.ok ? {} : { broken: r.broken, error: { code: r.broken ? "AUDIT_CHAIN_BROKEN" : "FIGURES_DO_NOT_FOLLOW", message: describeBroken(r) } }),
  });
  const reply = (c: Context<AuthEnv>, r: StoreCheck, since: KeptHead | null) => c.json(answer(r, since), r.ok ? 200 : 409);

  /** The name of the agency with this code, from the directory. */
  const nameOf = async (code: string) => (await deps.readModel.agencies()).find((a) => a.code === code)?.name ?? null;

  /** The document, its latest analysis and its log entries, or a 404. */
  const analyzed = async (id: string) => {
    const document = await documents.document(id);
    if (!document) throw new ApiError(404, "NOT_FOUND", "no such document");
    const analysis = await documents.latestAnalysis(id);
    if (!analysis) throw new ApiError(404, "NOT_ANALYZED", "this document has no analysis (pending, or a paper exchange)");
    const entries = (await auditLog.page({ documentId: id }, 0, 10_000)).entries;
    return { document, analysis, entries, senderName: await nameOf(document.sender) };
  };

  // a report is what leadership reads behind a figure: viewers may open it; evidence and the log stay auditors'
  app.openapi(
    securedRoute(deps.access, ["viewer", "auditor"], {
      method: "get",
      path: "/api/v1/documents/{id}/report.html",
      summary:
        "The report as a page for people: Vietnamese by default, English with ?lang=en; for a document with no analysis (paper, not a PDF, pending, failed) a page that says why",
      request: { params: z.object({ id: z.string().min(1) }), query: z.object({ lang: z.enum(["vi", "en"]).optional() }) },
      responses: { 200: { content: { "text/html": { schema: z.string() } }, description: "the page" }, 404: json(ErrorBody, "unknown or not analyzed") },
    }),
    async (c) => {
      const id = c.req.valid("param").id;
      const lang = c.req.valid("query").lang ?? "vi";
      const document = await documents.document(id);
      if (!document) throw new ApiError(404, "NOT_FOUND", "no such document");
      // a paper exchange, a file that is not a PDF, one still waiting: a page that says so
      if (!(await documents.latestAnalysis(id))) return c.html(renderNoReportHtml(document, await nameOf(document.sender), lang), 200, REPORT_PAGE_HEADERS);
      const a = await analyzed(id);
      const report = JSON.parse(a.analysis.reportJson) as DocumentReport;
      return c.html(
        renderReportHtml({ document: a.document, senderName: a.senderName, report, entries: a.entries, trust: trustView(deps.trust()) }, lang),
        200,
        REPORT_PAGE_HEADERS,
      );
    },
  );

  app.openapi(
    securedRoute(deps.access, auditor, {
      method: "get",
      path: "/api/v1/documents/{id}/evidence",
      summary:
        "One ZIP archive: the original PDF, the report as stored, the reports for people, the certificates of each path, the document's log entries and a manifest of SHA-256s",
      request: { params: z.object({ id: z.string().min(1) }) },
      responses: {
        200: { content: { "application/zip": { schema: z.string().openapi({ format: "binary" }) } }, description: "the archive" },
        404: json(ErrorBody, "unknown or not analyzed"),
      },
    }),
    async (c) => {
      const a = await analyzed(c.req.valid("param").id);
      if (!a.document.sha256 || !blobs.has(a.document.sha256)) throw new ApiError(404, "NO_FILE", "the original file is not in the blob store");
      const job = await evidenceJob(auditLog, {
        document: a.document,
        senderName: a.senderName,
        pdfPath: blobs.pathOf(a.document.sha256),
        reportJson: a.analysis.reportJson,
        entries: a.entries,
        trust: deps.trust(),
      }).catch((e: unknown) => {
        // a log that cannot prove its entries (no signed head there, a subtree missing): no archive without proofs
        if (e instanceof ProofError) throw new ApiError(503, "EVIDENCE_FAILED", `the evidence archive could not be made: ${e.message}`);
        throw e;
      });
      const zip = await archiver.run(job);
      // the thread's bytes, moved here: sent as they are, not copied
      return c.body(zip as Uint8Array<ArrayBuffer>, 200, {
        "content-type": "application/zip",
        "content-disposition": `attachment; filename="kyso-evidence-${a.document.id}.zip"`,
      });
    },
  );

  app.openapi(
    securedRoute(deps.access, auditor, {
      method: "get",
      path: "/api/v1/audit",
      summary:
        "The verification log in order, paged by cursor; ?format=jsonl streams the export (entries, then a head line) that `kyso audit verify FILE` checks offline",
      request: {
        query: z.object({
          from: day.optional(),
          to: day.optional(),
          agency: z.string().optional(),
          document: z.string().optional(),
          action: z.enum(AUDIT_ACTIONS).optional(),
          cursor: z.coerce.number().int().min(0).optional(),
          limit: z.coerce.number().int().min(1).max(1000).optional(),
          format: z.enum(["json", "jsonl"]).optional(),
        }),
      },
      responses: {
        200: json(z.object({ entries: z.array(Loose), next: z.number().nullable() }), "a page of entries (or JSONL)"),
        400: json(ErrorBody, "bad filter"),
      },
    }),
    async (c) => {
      const q = c.req.valid("query");
      const f: AuditFilter = { from: q.from, to: q.to, agency: q.agency, documentId: q.document, action: q.action };
      if (q.format === "jsonl") {
        const it = exportLines(auditLog, f);
        const enc = new TextEncoder();
        // about 64 kB per chunk, and a turn of the event loop between chunks: a reader as fast as the
        // server (on the same machine) held it for the whole export (1.2 s for 100,000 entries)
        const body = new ReadableStream<Uint8Array>({
          async pull(ctrl) {
            await new Promise((r) => setImmediate(r));
            let chunk = "";
            for (let n = await it.next(); ; n = await it.next()) {
              if (n.done) {
                if (chunk) ctrl.enqueue(enc.encode(chunk));
                return ctrl.close();
              }
              chunk += n.value;
              if (chunk.length >= 1 << 16) return ctrl.enqueue(enc.encode(chunk));
            }
          },
        });
        return new Response(body, { status: 200, headers: { "content-type": "application/x-ndjson; charset=utf-8" } }) as never;
      }
      const page = await auditLog.page(f, q.cursor ?? 0, q.limit ?? 100);
      return c.json({ entries: page.entries as unknown as Array<Record<string, unknown>>, next: page.next }, 200);
    },
  );

  app.openapi(
    securedRoute(deps.access, auditor, {
      method: "get",
      path: "/api/v1/audit/verify",
      summary:
        "Re-checks the store: every log entry (hash, link, signed tree head), the heads published outside the store, and the figures replayed from the log (each analysis against its logged report hash, each document's facts and category, every rollup row). By default from the newest head this server verified before (mode: since; the log's consistency with that head, then the entries since and the documents they name; fullCheck says when the last full check ran, daily in the background); with ?full=true, or before any check held, the whole store (mode: full). 200 when all holds, 409 naming the first entry or row that does not. With ?seq=N&hash=H (a head seen earlier, kept outside the server), also that entry N still has hash H",
      request: {
        query: z
          .object({ ...recordedHead, full: z.enum(["true", "1"]).optional() })
          .refine((q) => (q.seq === undefined) === (q.hash === undefined), "give seq and hash together"),
      },
      responses: {
        200: json(Loose, "the log is intact and the figures follow from it"),
        400: json(ErrorBody, "seq without hash, or a bad hash"),
        409: json(Loose, "the log is broken, or the figures do not follow from it"),
      },
    }),
    async (c) => {
      const q = c.req.valid("query");
      // from the newest head this server verified (its consistency with the log, then the entries since),
      // unless the full check is asked for or none held yet
      const since = q.full ? null : verified.head;
      let r: StoreCheck;
      if (since) {
        const kept = deps.headsFile && existsSync(deps.headsFile) ? keptHeadsIn([deps.headsFile]) : [];
        const started = verified.started();
        r = await checker.run({ store: deps.store, trusted: { kept }, since });
        verified.note(r, false, now(), started);
      } else
        r = await fullCheck.request().done.catch((e: Error) => {
          throw new ApiError(503, "CHECK_FAILED", `the store check could not run: ${e.message}`);
        });
      return reply(c, await withRecordedHead(r, q.seq, q.hash), since);
    },
  );

  app.openapi(
    securedRoute(deps.access, auditor, {
      method: "post",
      path: "/api/v1/audit/verify/full",
      summary:
        "Starts the full check of the store (what GET /api/v1/audit/verify?full=true waits for) and answers at once; a check already running, the daily one or another auditor's, is joined. GET /api/v1/audit/verify/full then says how far it has gone and, once it has finished, its answer",
      responses: { 202: json(Loose, "run: the check's number; progress: how far it has gone") },
    }),
    (c) => {
      const { run } = fullCheck.request();
      return c.json({ run, ...fullCheck.state() }, 202);
    },
  );

  app.openapi(
    securedRoute(deps.access, auditor, {
      method: "get",
      path: "/api/v1/audit/verify/full",
      summary:
        "Where the server's full check stands: run (the number of the check running or last started), state (not run yet, running, held, failed, could not run), progress while it runs (part: log, the entries walked, then figures, the documents replayed; done of total), and result: the last finished check's answer as GET /api/v1/audit/verify?full=true gives it, with its run. With ?seq=N&hash=H (a head seen earlier), the result also says whether entry N still has hash H",
      request: { query: z.object(recordedHead).refine((q) => (q.seq === undefined) === (q.hash === undefined), "give seq and hash together") },
      responses: { 200: json(Loose, "the check's state, and the last one's answer"), 400: json(ErrorBody, "seq without hash, or a bad hash") },
    }),
    async (c) => {
      const q = c.req.valid("query");
      const last = fullCheck.lastCheck;
      const state = fullCheck.state();
      const result = last ? { run: last.run, ...answer(await withRecordedHead(last.result, q.seq, q.hash), null) } : null;
      return c.json({ run: fullCheck.latestRun, ...state, ...(state.state === "could not run" ? { error: fullCheck.error } : {}), result }, 200);
    },
  );

  app.openapi(
    securedRoute(deps.access, ["admin"], {
      method: "post",
      path: "/api/v1/admin/reverify",
      summary:
        "Queues analyzed documents for a new analysis (after a trust-store change); JSON body {since?: YYYY-MM-DD, agency?: CODE}. The earlier analyses and log entries stay. A large store's documents are queued in the background after the answer (pending: true; /metrics kyso_reverify_requests_pending), the log entry written when all are queued.",
      request: {
        body: { content: { "application/json": { schema: z.object({ since: day.optional(), agency: z.string().min(1).optional() }) } }, required: false },
      },
      responses: {
        202: json(z.object({ queued: z.number(), pending: z.boolean() }), "queued: how many so far; pending: more are being queued in the background"),
        400: json(ErrorBody, "bad body"),
      },
    }),
    async (c) => {
      const type = c.req.header("content-type") ?? "";
      const body = type.includes("application/json") ? c.req.valid("json") : {};
      // a few windows in the request (a small store is done at once); the rest in the store's background
      // work, which `rederive` wakes, one window at a time, never holding the event loop for long
      const { queued, pending } = await startReverificationOn(
        deps.lifecycle,
        { since: body.since, agency: body.agency },
        actorOf(c.get("key")),
        deps.rederive ? INLINE_REVERIFY_STEPS : Infinity,
      );
      if (pending) deps.rederive?.();
      if (queued > 0) deps.onQueued();
      return c.json({ queued, pending }, 202);
    },
  );
  return app;
}
