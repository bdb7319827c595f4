// The HTTP API (DESIGN.md §4.5): Hono with routes described by zod schemas, from which the OpenAPI
// document is generated. Request bodies that accept several media types (multipart, JSON or CSV) are
// parsed by their handlers, which give precise messages; their routes document them in words. Errors are
// `{ error: { code, message } }` with the right status. Every /api/v1 route needs a bearer API key with a
// role the route admits (auth.ts); the audit and evidence routes are in audit-routes.ts.
import type { SignerBinding } from "../compliance/signer-binding.js";
import { statSync } from "node:fs";
import { OpenAPIHono, z } from "@hono/zod-openapi";
import { bodyLimit } from "hono/body-limit";
import { HTTPException } from "hono/http-exception";
import type { Context } from "hono";
import type { CompliancePolicy } from "../compliance/index.js";
import type { BlobStore } from "../store/blobs.js";
import { flushed, redoable, type Db } from "../store/db.js";
import { now as clockNow } from "../clock.js";
import { actorOf, requireRole, requireSender, securedRoute, SECURITY_SCHEME, type AuthEnv } from "./auth.js";
import { registerAuditRoutes } from "./audit-routes.js";
import { registerEdxmlRoute } from "./edxml-route.js";
import { registerWorkerRoutes } from "./worker-routes.js";
import type { TrustStore } from "../pki/trust-store.js";
import { authenticate, ROLES } from "../store/keys.js";
import { auditHead } from "../store/audit.js";
import { bucketCounts, getDocument, latestReport, listAgencies, statusCounts, type Agency, type DocumentRow } from "../store/documents.js";
import { directoryOf, submit, submitRegisterInBatches, updateDirectory } from "../lifecycle/index.js";
import { conflictsOf, directoryGaps, eventsOf, heldCounts } from "../store/lifecycle.js";
import { reconcile } from "../store/reconcile.js";
import { RegisterError, type RegisterRow } from "../ingest/register.js";
import { ParseThread, threadPath } from "../ingest/parse-thread.js";
import { isCalendarDay } from "../ingest/dates.js";
import { agenciesFromCsv, AgencyError, agencyRows, AgencySchema } from "../ingest/agencies.js";
import type { RegisterJob } from "../ingest/register-thread.js";
import { agencies as agencyStats, nextStepsOf, periodsWithDocuments, summary, timeseries } from "../store/stats.js";
import { agenciesCsv, timeseriesCsv } from "../store/stats-csv.js";
import { MetadataError, parseMetadata } from "../ingest/metadata.js";
import { ENGINE_VERSION } from "../version.js";
import { ApiError } from "./errors.js";
import { storageProblem } from "../store/storage-errors.js";
import { calendarDay, ErrorBody, json, Loose } from "./schemas.js";
import { DASHBOARD_CSP, DASHBOARD_HTML } from "./dashboard.js";
import { AUDITOR_CSP, AUDITOR_HTML } from "./auditor-page.js";
import { CHECK_CSP, CHECK_HTML } from "./check-page.js";
import { renderReportHtml } from "./report-html.js";
import { etsiValidationReport } from "../verify/etsi-report.js";
import { leadershipReport, reportPeriod } from "../store/leadership.js";
import { NO_FONT, type ExportJob } from "./exports/export-job.js";
import type { DocumentReport } from "../verify/report.js";

/** A register exported as an Excel workbook. */
const XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
import { pageHeaders, REPORT_PAGE_HEADERS } from "./page.js";

export interface ApiDeps {
  db: Db;
  blobs: BlobStore;
  policy: CompliancePolicy;
  /** told when a document was queued */
  onQueued: () => void;
  /** request body limit in bytes (default 50 MB) */
  maxBodyBytes?: number;
  /** extra readiness checks (Redis when configured) */
  ready?: () => Promise<string | null>;
  /** more Prometheus lines (the BullMQ runner's job counts) */
  metrics?: () => Promise<string>;
  /** the trust store analyses use (its certificates go into evidence archives) */
  trust: () => TrustStore;
  /** the file the server publishes its signed log heads to (the store check reads them back) */
  headsFile?: string | null;
  /** the store's health as last checked (at start): null when it holds, else why not */
  storeProblem?: () => string | null;
  /** /metrics shows the figures by category without a key (KYSO_METRICS_FIGURES=public) */
  publicFigures?: boolean;
  /** the exchange's trace times prove existence (KYSO_TRUSTED_TRACE) */
  trustedTrace?: boolean;
  /** told when the store refused a write for lack of space or permission (readiness reports it) */
  onStorageProblem?: (message: string) => void;
  /** the data folder's state: null when writes can go on, else why not */
  storageState?: () => string | null;
  /** verifies one PDF in an isolated thread, for POST /api/v1/check (nothing stored) */
  check?: (bytes: Uint8Array) => Promise<{ ok: true; report: DocumentReport } | { ok: false; message: string }>;
}

const errors = { 400: json(ErrorBody, "invalid input") };
const PeriodQuery = z.object({
  // the shape here; a day outside the calendar is BAD_PERIOD from period()
  from: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "from must be YYYY-MM-DD").optional(),
  to: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "to must be YYYY-MM-DD").optional(),
  agency: z.string().optional(),
});
const TableQuery = PeriodQuery.extend({ format: z.enum(["json", "csv"]).optional() });

const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/** An XML document (the ETSI validation report). */
function xmlBody(c: Context, text: string): Response {
  return c.body(text, 200, { "content-type": "application/xml; charset=utf-8" });
}

/** A CSV table as a download. */
function csvFile(c: Context, text: string, name: string): Response {
  return c.body(text, 200, { "content-type": "text/csv; charset=utf-8", "content-disposition": `attachment; filename="${name.replace(/[^\w.-]/g, "_")}"` });
}

function period(q: { from?: string | undefined; to?: string | undefined }): { from: string; to: string } {
  const year = new Date().getUTCFullYear();
  const p = { from: q.from ?? `${year}-01-01`, to: q.to ?? `${year}-12-31` };
  // the shape is checked by the schema; a day that does not exist (2024-13-45, 2024-02-30) is refused here
  for (const [k, v] of Object.entries(p)) if (!isCalendarDay(v)) throw new ApiError(400, "BAD_PERIOD", `${k} '${v}' is not a date`);
  if (p.from > p.to) throw new ApiError(400, "BAD_PERIOD", "from is after to");
  return p;
}

/**
 * Parts a multipart body may hold: a document is one file and its metadata fields (about ten). Parsing
 * runs on the event loop, and a body of many tiny parts held it for seconds (46 MB of 800,000 fields:
 * 2.4 s with no other request answered), so the parts are counted first, in native code.
 */
export const MAX_MULTIPART_PARTS = 100;

/** How many parts a multipart body holds: its boundary lines, less the closing one. */
function multipartParts(body: Uint8Array, boundary: string): number {
  const buf = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  const mark = Buffer.from(`--${boundary}`, "latin1");
  let n = 0;
  for (let at = buf.indexOf(mark); at >= 0 && n <= MAX_MULTIPART_PARTS + 1; at = buf.indexOf(mark, at + mark.length)) n++;
  return Math.max(0, n - 1);
}

/** The `file` of a multipart body (and the body's other fields), or the 4xx that says what is wrong. */
async function multipartFile(c: Context, expected: string): Promise<{ form: Record<string, string | File | (string | File)[]>; file: File; bytes: Uint8Array }> {
  const type = c.req.header("content-type") ?? "";
  if (!type.startsWith("multipart/form-data")) throw new ApiError(415, "UNSUPPORTED_MEDIA_TYPE", `send multipart/form-data with ${expected}`);
  const boundary = /;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(type);
  if (!boundary) throw new ApiError(400, "BAD_MULTIPART", "the multipart content type names no boundary");
  // read once: the parse below takes the body from Hono's cache
  if (multipartParts(new Uint8Array(await c.req.arrayBuffer()), boundary[1] ?? boundary[2]!) > MAX_MULTIPART_PARTS) {
    throw new ApiError(400, "TOO_MANY_PARTS", `the multipart body has more than ${MAX_MULTIPART_PARTS} parts: send ${expected}`);
  }
  let form: Record<string, string | File | (string | File)[]>;
  try {
    form = await c.req.parseBody({ all: true });
  } catch {
    throw new ApiError(400, "BAD_MULTIPART", "the multipart body cannot be read");
  }
  const file = form.file;
  if (!(file instanceof File)) throw new ApiError(400, "NO_FILE", "the `file` field is missing");
  const bytes = new Uint8Array(await file.arrayBuffer());
  if (bytes.length === 0) throw new ApiError(400, "EMPTY_FILE", "the file is empty");
  return { form, file, bytes };
}

function publicDocument(d: DocumentRow & { recipients?: string[] }) {
  return {
    id: d.id,
    sha256: d.sha256,
    bytes: d.bytes,
    sender: d.sender,
    recipients: d.recipients,
    number: d.number,
    issuedDate: d.issued_date,
    type: d.type,
    subject: d.subject,
    classification: d.classification,
    urgency: d.urgency,
    receivedAt: d.received_at,
    channel: d.channel,
    status: d.status,
    attempts: d.attempts,
    failure: d.failure,
    verdict: d.verdict,
    content: d.content_kind,
    nd30Complete: d.nd30_complete === 1,
    category: d.category,
    /** why it is outside every category: revoked, superseded, or a directory gap */
    held: d.held,
    agency: d.agency,
    /** who sealed it with respect to its sender (issue 24); null with no valid signature */
    signerBinding: d.signer_binding ? (JSON.parse(d.signer_binding) as SignerBinding) : null,
    source: d.source,
    exchangeId: d.exchange_id,
    fileKind: d.file_kind,
    fileName: d.file_name,
    version: d.version,
    supersedes: d.supersedes,
    supersededBy: d.superseded_by,
    revokedAt: d.revoked_at,
    revocationReason: d.revocation_reason,
    paperCopy: d.paper_copy === 1,
  };
}

export function createApp(deps: ApiDeps) {
  const { db, blobs, policy } = deps;
  const app = new OpenAPIHono<AuthEnv>({
    defaultHook: (result, c) => {
      if (!result.success) return c.json({ error: { code: "BAD_REQUEST", message: result.error.issues.map((i) => (i.path.length ? `${i.path.join(".")}: ${i.message}` : i.message)).join("; ") } }, 400);
      return undefined;
    },
  });
  app.onError((e, c) => {
    if (e instanceof ApiError) return c.json({ error: { code: e.code, message: e.message } }, e.status);
    if (e instanceof MetadataError) return c.json({ error: { code: "BAD_METADATA", message: e.message } }, 400);
    const storage = storageProblem(e);
    if (storage) {
      deps.onStorageProblem?.(storage.message);
      return c.json({ error: { code: storage.code, message: storage.message } }, storage.status, storage.status === 503 ? { "retry-after": "60" } : {});
    }
    // the request validators' own refusals (a body that is not JSON, or not of the declared type)
    if (e instanceof HTTPException && e.status < 500) return c.json({ error: { code: e.status === 415 ? "UNSUPPORTED_MEDIA_TYPE" : "BAD_REQUEST", message: e.message || "bad request" } }, e.status);
    console.error(`kyso api: ${e.stack ?? e}`);
    return c.json({ error: { code: "INTERNAL", message: "internal error" } }, 500);
  });
  app.notFound((c) => c.json({ error: { code: "NOT_FOUND", message: `no route ${c.req.method} ${c.req.path}` } }, 404));
  // every HTML answer carries a page policy, nosniff and no-referrer: one that a route sent without them
  // gets the report pages' (no script at all), so no page can leave without
  app.use("*", async (c, next) => {
    await next();
    if (!/^text\/html/i.test(c.res.headers.get("content-type") ?? "")) return;
    for (const [k, v] of Object.entries(REPORT_PAGE_HEADERS)) if (!c.res.headers.has(k)) c.res.headers.set(k, v);
  });
  const limit = deps.maxBodyBytes ?? 50 * 1024 * 1024;
  app.use(
    "/api/v1/*",
    bodyLimit({ maxSize: limit, onError: (c) => c.json({ error: { code: "TOO_LARGE", message: `the request body is larger than ${limit} bytes` } }, 413) }),
  );
  app.openAPIRegistry.registerComponent("securitySchemes", SECURITY_SCHEME, {
    type: "http",
    scheme: "bearer",
    description: "An API key from `kyso keys create --role ROLE --label TEXT`. Each operation lists the roles it admits (x-kyso-roles); admin is admitted everywhere.",
  });
  const ingest = ["ingest"] as const;
  // leadership's PDF and workbook are laid out on their own thread, one at a time, never on the event loop
  const exporter = new ParseThread<Omit<ExportJob, "id">, Uint8Array>(threadPath("export-thread", "api/exports"), { timeoutMs: 60_000, maxHeapMb: 512 }, (m) =>
    m.startsWith(NO_FONT) ? new ApiError(503, "NO_FONT", m.slice(NO_FONT.length)) : new ApiError(503, "EXPORT_FAILED", `the report could not be made: ${m}`),
  );
  const registers = new ParseThread<Omit<RegisterJob, "id">, RegisterRow[]>(threadPath("register-thread"), { timeoutMs: 20_000, maxHeapMb: 512 }, (m, big) => new RegisterError(m, big));
  const viewer = ["viewer", "auditor"] as const;

  // ---- documents ------------------------------------------------------------------------------------
  app.openapi(
    securedRoute(db, ingest, {
      method: "post",
      path: "/api/v1/documents",
      summary: "Upload one exchanged document (multipart/form-data: `file` plus the metadata fields of DESIGN.md §4.6); a file that is not a PDF is stored and counted electronic-not-pdf",
      responses: { 202: json(z.object({ id: z.string(), sha256: z.string(), status: z.string(), existing: z.boolean(), note: z.string().optional() }), "accepted: queued for analysis (or already known; `note` says how, e.g. the same document with another file)"), ...errors, 413: json(ErrorBody, "too large"), 415: json(ErrorBody, "not multipart") },
    }),
    async (c) => {
      const { form, file, bytes } = await multipartFile(c, "a `file` field and the metadata fields");
      // a .doc or an image was exchanged all the same: stored, counted electronic-not-pdf, never refused
      const kind = Buffer.from(bytes.subarray(0, 1024)).includes("%PDF-") ? "pdf" : "not-pdf";
      const fields = Object.fromEntries(Object.entries(form).filter(([k, v]) => k !== "file" && typeof v === "string")) as Record<string, string>;
      const meta = parseMetadata(fields, directoryOf(db).resolve, clockNow()); // validated before anything is stored
      requireSender(c.get("key"), meta.sender, directoryOf(db));
      const sha256 = await blobs.putAsync(bytes);
      // committed without waiting for the disk, then flushed off the event loop before the 202
      const r = redoable(db, () => submit(db, { kind: "document", source: "upload", meta, file: { sha256, bytes: bytes.length, kind, name: file.name || null } }, actorOf(c.get("key"))));
      await flushed(db);
      if (r.status === "queued" && !r.existing) deps.onQueued();
      return c.json({ id: r.id!, sha256, status: r.status!, existing: r.existing, ...(r.note ? { note: r.note } : {}) }, 202);
    },
  );

  app.openapi(
    securedRoute(db, ingest, {
      method: "post",
      path: "/api/v1/exchanges",
      summary:
        "Register exchanges: a JSON array of rows, or a register as CSV (comma or semicolon, UTF-8 with or without BOM) in kyso's columns or in a Nghị định 30 Phụ lục IV layout (incoming or outgoing register, Vietnamese headers, dd/MM/yyyy, agency names or codes; ?owner=CODE: the agency that keeps it), or the same as an XLSX workbook (application/vnd.openxmlformats-officedocument.spreadsheetml.sheet: the header row found below a title block, number and notation in two columns, a paper/electronic column recorded). Rows are reconciled with the electronic documents; a bad row stores nothing and is named with its sheet, row and column",
      request: { query: z.object({ owner: z.string().optional() }) },
      responses: { 201: json(z.object({ recorded: z.number(), layout: z.string(), matched: z.number(), documents: z.array(z.object({ id: z.string(), status: z.string(), existing: z.boolean(), matched: z.boolean() })) }), "recorded"), ...errors, 415: json(ErrorBody, "neither JSON, CSV nor XLSX") },
    }),
    async (c) => {
      const type = c.req.header("content-type") ?? "";
      const dir = directoryOf(db);
      const now = clockNow();
      const owner = c.req.valid("query").owner ?? null;
      let rows: RegisterRow[];
      if (type.includes("application/json")) {
        let body: unknown;
        try {
          body = await c.req.json();
        } catch {
          throw new ApiError(400, "BAD_JSON", "the body is not valid JSON");
        }
        const list = Array.isArray(body) ? body : [body];
        rows = list.map((v, i) => {
          if (!v || typeof v !== "object") throw new ApiError(400, "BAD_ROW", `row ${i + 1} is not an object`);
          try {
            return { line: i + 1, layout: "kyso", meta: parseMetadata(v as Record<string, unknown>, dir.resolve, now) };
          } catch (e) {
            if (e instanceof MetadataError) throw new ApiError(400, "BAD_ROW", `row ${i + 1}: ${e.message}`);
            throw e;
          }
        });
      } else if (type.includes("text/csv") || type.includes(XLSX_TYPE)) {
        // read in a worker thread: a register of many thousand rows never holds the event loop
        try {
          const source = type.includes(XLSX_TYPE) ? { xlsx: new Uint8Array(await c.req.arrayBuffer()) } : { text: await c.req.text() };
          rows = await registers.run({ ...source, owner, entries: [...dir.entries], now: now.toISOString() });
        } catch (e) {
          if (e instanceof RegisterError) throw e.tooLarge ? new ApiError(413, "TOO_LARGE", e.message) : new ApiError(400, "BAD_ROW", e.message);
          throw e;
        }
      } else throw new ApiError(415, "UNSUPPORTED_MEDIA_TYPE", `send application/json, text/csv or ${XLSX_TYPE}`);
      if (rows.length === 0) throw new ApiError(400, "EMPTY", "no rows");
      // a key bound to agencies registers their own exchanges: JSON rows they sent, registers they keep
      const key = c.get("key");
      if (key.senders) {
        if (type.includes("text/csv") || type.includes(XLSX_TYPE)) requireSender(key, owner ?? "(no ?owner= given)", dir);
        else for (const r of rows) requireSender(key, r.meta.sender, dir);
      }
      // every row is checked before any is stored: a bad row stores nothing
      const entries = rows.map((r) => {
        const m = r.meta;
        const stored = m.sha256 && blobs.has(m.sha256) ? statSync(blobs.pathOf(m.sha256)).size : null;
        if (m.sha256 && stored === null && m.channel === "electronic") throw new ApiError(422, "UNKNOWN_FILE", `row ${r.line}: no uploaded file has sha256 ${m.sha256}`);
        return { line: r.line, meta: m, file: m.sha256 && stored !== null ? { sha256: m.sha256, bytes: stored, kind: "pdf" as const } : null, ...(r.form ? { form: r.form } : {}) };
      });
      const out = await submitRegisterInBatches(db, { owner: owner ? (dir.resolve(owner) ?? owner) : null, layout: rows[0]!.layout, rows: entries, source: "register" }, actorOf(c.get("key")));
      await flushed(db);
      if (out.some((r) => r.status === "queued" && !r.existing)) deps.onQueued();
      return c.json({ recorded: out.length, layout: rows[0]!.layout, matched: out.filter((o) => o.matched).length, documents: out.map((r) => ({ id: r.id, status: r.status, existing: r.existing, matched: r.matched })) }, 201);
    },
  );

  app.openapi(
    securedRoute(db, viewer, {
      method: "get",
      path: "/api/v1/reconciliation",
      summary: "Registers against the electronic exchanges: register rows no electronic document matched (counted as paper), and electronic documents the registers of their agencies do not list",
      request: { query: z.object({ owner: z.string().optional(), from: calendarDay("from").optional(), to: calendarDay("to").optional() }) },
      responses: { 200: json(Loose, "the mismatches both ways"), ...errors },
    }),
    (c) => c.json(reconcile(db, c.req.valid("query")) as unknown as Record<string, unknown>, 200),
  );

  app.openapi(
    securedRoute(db, ["ingest", "viewer", "auditor"], {
      method: "get",
      path: "/api/v1/directory-gaps",
      summary: "Agency codes the exchanges name that the directory does not know (their documents are held out of the figures until the directory has them), the documents held out by reason, and the conflicts: messages the store could not take as they are (not counted), with the document each collides with",
      responses: { 200: json(z.object({ gaps: z.array(Loose), held: z.record(z.string(), z.number()), conflicts: z.array(Loose) }), "gaps"), ...errors },
    }),
    (c) => c.json({ gaps: directoryGaps(db) as unknown as Array<Record<string, unknown>>, held: heldCounts(db), conflicts: conflictsOf(db, 500) as unknown as Array<Record<string, unknown>> }, 200),
  );

  app.openapi(
    securedRoute(db, viewer, {
      method: "get",
      path: "/api/v1/documents",
      summary: "Documents, newest first, with their category (cursor paging); filters: status, category, verdict, held, sender, agency (the one a document counts for: its sender, or the successor after a reorganisation), recipient, binding (who sealed it: sender, another-agency, not-matched, no-organisation-signature), sealedBy (the agency whose seal it carries), period (from, to), and q: words in the number or the subject",
      request: { query: z.object({ agency: z.string().optional(), binding: z.enum(["sender", "another-agency", "not-matched", "no-organisation-signature"]).optional(), sealedBy: z.string().optional(), status: z.string().optional(), category: z.string().optional(), verdict: z.string().optional(), held: z.enum(["revoked", "superseded", "directory-gap"]).optional(), sender: z.string().optional(), recipient: z.string().optional(), q: z.string().max(200).optional(), from: calendarDay("from").optional(), to: calendarDay("to").optional(), cursor: z.string().optional(), limit: z.coerce.number().int().min(1).max(500).optional() }) },
      responses: { 200: json(z.object({ documents: z.array(Loose), next: z.string().nullable() }), "a page of documents"), ...errors },
    }),
    (c) => {
      const q = c.req.valid("query");
      const where: string[] = [];
      const args: unknown[] = [];
      for (const [col, v] of [["status", q.status], ["category", q.category], ["verdict", q.verdict], ["sender", q.sender], ["agency", q.agency], ["held", q.held]] as const) if (v) (where.push(`${col} = ?`), args.push(v));
      if (q.recipient) (where.push("EXISTS (SELECT 1 FROM deliveries WHERE document_id = documents.id AND recipient = ?)"), args.push(q.recipient));
      if (q.binding) (where.push("signer_binding IS NOT NULL AND json_extract(signer_binding, '$.status') = ?"), args.push(q.binding));
      if (q.sealedBy) (where.push("signer_binding IS NOT NULL AND json_extract(signer_binding, '$.agency') = ?"), args.push(q.sealedBy));
      // every word must appear in the number or the subject (case-insensitive for Vietnamese too: both sides folded)
      for (const w of (q.q ?? "").normalize("NFC").toLocaleLowerCase("vi").split(/\s+/).filter(Boolean).slice(0, 8)) {
        where.push("(lower_vi(coalesce(number, '')) LIKE ? ESCAPE '\\' OR lower_vi(coalesce(subject, '')) LIKE ? ESCAPE '\\')");
        const like = `%${w.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
        args.push(like, like);
      }
      if (q.from) (where.push("period_date >= ?"), args.push(q.from));
      if (q.to) (where.push("period_date <= ?"), args.push(q.to));
      if (q.cursor) {
        // the cursor is the last row's created_at (an ISO instant, 24 characters) followed by its id
        const c = Buffer.from(q.cursor, "base64url").toString();
        (where.push("(created_at, id) < (?, ?)"), args.push(c.slice(0, 24), c.slice(24)));
      }
      const limit = q.limit ?? 100;
      // newest first along the (created_at, id) index: a page costs its rows, not a sort of the table
      const rows = db.prepare(`SELECT * FROM documents ${where.length ? "WHERE " + where.join(" AND ") : ""} ORDER BY created_at DESC, id DESC LIMIT ?`).all(...args, limit + 1) as DocumentRow[];
      const page = rows.slice(0, limit);
      const last = page[page.length - 1];
      return c.json({ documents: page.map(publicDocument), next: rows.length > limit && last ? Buffer.from(last.created_at + last.id).toString("base64url") : null }, 200);
    },
  );

  const docId = z.object({ id: z.string().min(1) });
  app.openapi(
    securedRoute(db, viewer, { method: "get", path: "/api/v1/documents/{id}", summary: "One document: metadata, status, category", request: { params: docId }, responses: { 200: json(Loose, "the document"), 404: json(ErrorBody, "unknown id") } }),
    (c) => {
      const d = getDocument(db, c.req.valid("param").id);
      if (!d) throw new ApiError(404, "NOT_FOUND", "no such document");
      const events = eventsOf(db, d.id).map((e) => ({ kind: e.kind, code: e.code, description: e.description, at: e.at, source: e.source }));
      return c.json({ ...publicDocument(d), events }, 200);
    },
  );

  app.openapi(
    securedRoute(db, viewer, {
      method: "get",
      path: "/api/v1/documents/{id}/report",
      summary: "The DocumentReport of the latest analysis; with ?format=xml the same as an ETSI TS 119 102-2 validation report",
      request: { params: docId, query: z.object({ format: z.enum(["json", "xml"]).optional() }) },
      responses: { 200: { content: { "application/json": { schema: Loose }, "application/xml": { schema: z.string() } }, description: "the report" }, 404: json(ErrorBody, "unknown id, or not analyzed yet") },
    }),
    (c) => {
      const r = latestReport(db, c.req.valid("param").id);
      if (!r) throw new ApiError(404, "NOT_FOUND", "no analysis for this document (unknown, pending, or a paper exchange)");
      if (c.req.valid("query").format === "xml") return xmlBody(c, etsiValidationReport(r));
      return c.json(r as unknown as Record<string, unknown>, 200);
    },
  );

  app.openapi(
    securedRoute(db, ["ingest", "auditor"], {
      method: "post",
      path: "/api/v1/check",
      summary: "Check one document: multipart `file`; the DocumentReport (with ?format=html the report page, ?lang=en in English; with ?format=xml the ETSI TS 119 102-2 validation report). Nothing is stored, logged or counted",
      request: { query: z.object({ format: z.enum(["json", "html", "xml"]).optional(), lang: z.enum(["vi", "en"]).optional() }) },
      responses: { 200: { content: { "application/json": { schema: Loose }, "text/html": { schema: z.string() }, "application/xml": { schema: z.string() } }, description: "the report" }, ...errors, 413: json(ErrorBody, "too large"), 415: json(ErrorBody, "not multipart"), 503: json(ErrorBody, "checking is not available here") },
    }),
    async (c) => {
      if (!deps.check) throw new ApiError(503, "NOT_AVAILABLE", "this server does not check single documents");
      const { file, bytes } = await multipartFile(c, "a `file` field");
      const out = await deps.check(bytes);
      if (!out.ok) throw new ApiError(422, "NOT_CHECKED", `the file could not be checked: ${out.message}`);
      const q = c.req.valid("query");
      if (q.format === "xml") return xmlBody(c, etsiValidationReport(out.report));
      if (q.format !== "html") return c.json(out.report as unknown as Record<string, unknown>, 200);
      const now = new Date().toISOString();
      // a page about a file, not a stored document: no sender, no category, no log
      const shown = { id: "—", number: file.name || null, sender: "—", subject: null, received_at: now, category: null, counts: 0 } as unknown as DocumentRow;
      return c.html(renderReportHtml({ document: shown, senderName: null, report: out.report, entries: [] }, q.lang ?? "vi"), 200, REPORT_PAGE_HEADERS);
    },
  );

  // ---- agencies ---------------------------------------------------------------------------------------
  app.openapi(securedRoute(db, ["ingest", "viewer", "auditor"], { method: "get", path: "/api/v1/agencies", summary: "The agency directory", responses: { 200: json(z.object({ agencies: z.array(AgencySchema) }), "agencies") } }), (c) => c.json({ agencies: listAgencies(db) }, 200));
  app.openapi(
    securedRoute(db, ["admin"], {
      method: "put",
      path: "/api/v1/agencies",
      summary: "Add or update agencies (a JSON array, or text/csv with columns code,name,parent,kind and optionally aliases (legacy codes, space-separated), validFrom, validTo, successor); documents held as directory gaps enter the figures once their agencies are known",
      responses: { 200: json(z.object({ updated: z.number() }), "updated"), ...errors, 415: json(ErrorBody, "neither JSON nor CSV") },
    }),
    async (c) => {
      const type = c.req.header("content-type") ?? "";
      let rows: Agency[];
      try {
        if (type.includes("application/json")) {
          const raw = (await c.req.json().catch(() => null)) as unknown;
          if (!Array.isArray(raw)) throw new ApiError(400, "BAD_JSON", "send an array of agencies");
          rows = agencyRows(raw);
        } else if (type.includes("text/csv")) rows = agenciesFromCsv(await c.req.text());
        else throw new ApiError(415, "UNSUPPORTED_MEDIA_TYPE", "send application/json or text/csv");
      } catch (e) {
        if (e instanceof AgencyError) throw new ApiError(400, "BAD_ROW", e.message);
        throw e;
      }
      return c.json({ updated: updateDirectory(db, rows, actorOf(c.get("key"))) }, 200);
    },
  );

  // ---- statistics -------------------------------------------------------------------------------------
  app.openapi(
    securedRoute(db, viewer, { method: "get", path: "/api/v1/stats/summary", summary: "Rate, target, gap and trend for a period (and optionally one agency)", request: { query: PeriodQuery }, responses: { 200: json(Loose, "the province figure"), ...errors } }),
    (c) => {
      const q = c.req.valid("query");
      return c.json(summary(db, period(q), policy, q.agency) as unknown as Record<string, unknown>, 200);
    },
  );
  app.openapi(
    securedRoute(db, viewer, { method: "get", path: "/api/v1/stats/next", summary: "What to do next in the period: the agencies furthest from the target, the main reason documents do not count, agency codes the directory lacks (or: keep the target)", request: { query: PeriodQuery }, responses: { 200: json(Loose, "the steps"), ...errors } }),
    (c) => c.json(nextStepsOf(db, period(c.req.valid("query")), policy) as unknown as Record<string, unknown>, 200),
  );
  app.openapi(
    securedRoute(db, viewer, { method: "get", path: "/api/v1/stats/periods", summary: "The months that hold documents, oldest first, and the latest: where a dashboard opens", responses: { 200: json(Loose, "months with documents"), ...errors } }),
    (c) => c.json(periodsWithDocuments(db), 200),
  );
  app.openapi(
    securedRoute(db, viewer, { method: "get", path: "/api/v1/stats/agencies", summary: "Per-agency rates and ranking (?format=csv: a table for spreadsheets)", request: { query: TableQuery }, responses: { 200: { content: { "application/json": { schema: Loose }, "text/csv": { schema: z.string() } }, description: "per agency" }, ...errors } }),
    (c) => {
      const q = c.req.valid("query");
      const a = agencyStats(db, period(q), policy);
      if (q.format === "csv") return csvFile(c, agenciesCsv(a), `kyso-agencies-${a.period.from}-${a.period.to}.csv`);
      return c.json(a as unknown as Record<string, unknown>, 200);
    },
  );
  app.openapi(
    securedRoute(db, viewer, { method: "get", path: "/api/v1/stats/timeseries", summary: "Monthly series, overall or per agency (?format=csv: a table for spreadsheets)", request: { query: TableQuery }, responses: { 200: { content: { "application/json": { schema: Loose }, "text/csv": { schema: z.string() } }, description: "monthly series" }, ...errors } }),
    (c) => {
      const q = c.req.valid("query");
      const t = timeseries(db, period(q), policy, q.agency);
      if (q.format === "csv") return csvFile(c, timeseriesCsv(t), `kyso-months-${q.agency ? `${q.agency}-` : ""}${t.period.from}-${t.period.to}.csv`);
      return c.json(t as unknown as Record<string, unknown>, 200);
    },
  );

  app.openapi(
    securedRoute(db, viewer, {
      method: "get",
      path: "/api/v1/reports/leadership",
      summary: "Leadership's report for a month (2024-11), a quarter (2024-Q4) or a year (2024): a PDF to print (format=pdf, the default) or an Excel workbook with Vietnamese headers (format=xlsx)",
      request: { query: z.object({ period: z.string().max(16), format: z.enum(["pdf", "xlsx"]).optional() }) },
      responses: { 200: { content: { "application/pdf": { schema: z.string() }, [XLSX]: { schema: z.string() } }, description: "the report as a download" }, ...errors, 503: json(ErrorBody, "no font for the PDF on this server") },
    }),
    async (c) => {
      const q = c.req.valid("query");
      const p = reportPeriod(q.period);
      if (!p) throw new ApiError(400, "BAD_PERIOD", `period '${q.period}' is not a month (2024-11), a quarter (2024-Q4) or a year (2024)`);
      const report = leadershipReport(db, p, policy);
      const name = `kyso-bao-cao-${p.key}`;
      const format = q.format ?? "pdf";
      const bytes = await exporter.run({ format, report, ...(process.env.KYSO_FONT ? { font: process.env.KYSO_FONT } : {}) });
      if (format === "xlsx") return c.body(bytes as Uint8Array<ArrayBuffer>, 200, { "content-type": XLSX, "content-disposition": `attachment; filename="${name}.xlsx"` });
      return c.body(bytes as Uint8Array<ArrayBuffer>, 200, { "content-type": "application/pdf", "content-disposition": `attachment; filename="${name}.pdf"` });
    },
  );

  registerAuditRoutes(app, deps);
  registerEdxmlRoute(app, deps, limit);

  registerWorkerRoutes(app, deps);

  // ---- operations ---------------------------------------------------------------------------------------
  // the dashboard holds no data: it asks the API with the key its reader enters
  app.get("/dashboard", (c) => c.html(DASHBOARD_HTML, 200, pageHeaders(DASHBOARD_CSP)));
  app.get("/auditor", (c) => c.html(AUDITOR_HTML, 200, pageHeaders(AUDITOR_CSP)));
  app.get("/check", (c) => c.html(CHECK_HTML, 200, pageHeaders(CHECK_CSP)));
  app.get("/", (c) => c.redirect("/dashboard"));
  app.get("/healthz", (c) => c.json({ status: "ok" }));
  app.get("/readyz", async (c) => {
    try {
      db.prepare("SELECT 1").get();
    } catch (e) {
      return c.json({ status: "not ready", reason: `database: ${(e as Error).message}` }, 503);
    }
    const problem = deps.storeProblem?.() ?? deps.storageState?.() ?? null;
    if (problem) return c.json({ status: "not ready", reason: problem }, 503);
    const extra = deps.ready ? await deps.ready() : null;
    return extra ? c.json({ status: "not ready", reason: extra }, 503) : c.json({ status: "ready" });
  });
  app.get("/metrics", async (c) => c.text(metricsText(db, { figures: deps.publicFigures === true || hasKey(db, c.req.header("authorization")), problem: deps.storeProblem?.() ?? null }) + ((await deps.metrics?.().catch((e: Error) => `# runner metrics unavailable: ${e.message.replace(/\s+/g, " ")}\n`)) ?? ""), 200, { "content-type": "text/plain; version=0.0.4" }));
  app.use("/api/v1/openapi.json", requireRole(db, ROLES));
  app.doc("/api/v1/openapi.json", { openapi: "3.0.0", info: { title: "kyso", version: ENGINE_VERSION, description: "Signed-electronic document compliance of a province's agencies" } });
  return app;
}

/** A viewer (or auditor, or admin) key in the request: /metrics then shows the figures too. */
function hasKey(db: Db, header: string | undefined): boolean {
  const m = /^Bearer\s+(\S+)$/i.exec(header ?? "");
  const key = m ? authenticate(db, m[1]!) : null;
  return !!key && key.role !== "ingest";
}

const labelValue = (s: string) => s.replace(/[\\"]/g, "\\$&").replace(/\n/g, " ");

function metricsText(db: Db, o: { figures: boolean; problem: string | null }): string {
  const lines: string[] = ["# HELP kyso_store_intact 1 when the store's check at start held (the tree root over every stored hash, no gap, the log keys, a sample re-hashed, the published head) and so did the last full check in the background; 0 with the reason.", "# TYPE kyso_store_intact gauge"];
  lines.push(o.problem ? `kyso_store_intact{reason="${labelValue(o.problem)}"} 0` : "kyso_store_intact 1");
  lines.push("# HELP kyso_documents Documents by status.", "# TYPE kyso_documents gauge");
  for (const [s, n] of Object.entries(statusCounts(db))) lines.push(`kyso_documents{status="${s}"} ${n}`);
  // the province's figures by category are for viewers: without a key (or KYSO_METRICS_FIGURES=public) they stay out
  if (o.figures) {
    lines.push("# HELP kyso_documents_by_category Documents by compliance category.", "# TYPE kyso_documents_by_category gauge");
    for (const [c, n] of Object.entries(bucketCounts(db))) lines.push(`kyso_documents_by_category{category="${c}"} ${n}`);
  }
  lines.push("# HELP kyso_documents_held Documents outside every category until resolved, by reason.", "# TYPE kyso_documents_held gauge");
  for (const [reason, n] of Object.entries(heldCounts(db))) lines.push(`kyso_documents_held{reason="${reason}"} ${n}`);
  // with BullMQ, documents handed to Redis are `processing` until their result comes back: the backlog is both
  const q = db.prepare("SELECT count(*) n FROM documents WHERE status IN ('queued', 'processing')").get() as { n: number };
  lines.push("# HELP kyso_queue_depth Documents not analyzed yet (queued, or handed to a runner).", "# TYPE kyso_queue_depth gauge", `kyso_queue_depth ${q.n}`);
  lines.push("# HELP kyso_audit_entries Entries in the verification log.", "# TYPE kyso_audit_entries counter", `kyso_audit_entries ${auditHead(db).seq}`);
  const d = db.prepare("SELECT n, ms s FROM analysis_totals WHERE one = 1").get() as { n: number; s: number };
  lines.push("# HELP kyso_analysis_duration_seconds Time spent analyzing documents.", "# TYPE kyso_analysis_duration_seconds summary", `kyso_analysis_duration_seconds_sum ${(d.s / 1000).toFixed(3)}`, `kyso_analysis_duration_seconds_count ${d.n}`);
  return lines.join("\n") + "\n";
}

export type App = ReturnType<typeof createApp>;
export type { Context };
