// The documents' routes: an upload (a file and its metadata), the list with its filters, one document,
// its report (JSON or the ETSI validation report) and the check of one file that stores nothing.
import type { SignerBinding } from "../compliance/signer-binding.js";
import { z, type OpenAPIHono } from "@hono/zod-openapi";
import { now as clockNow } from "../clock.js";
import { actorOf, requireSender, securedRoute, type AuthEnv } from "./auth.js";
import type { DocumentRow } from "../store/rows.js";
import type { DocumentReport } from "../verify/report.js";
import { documentListRoute } from "./document-list-route.js";
import { submitTo } from "../lifecycle/index.js";
import { knownDirectory } from "./directory-cache.js";
import { parseMetadata } from "../ingest/metadata.js";
import { ApiError } from "./errors.js";
import { calendarDay, ErrorBody, json, Loose } from "./schemas.js";
import { renderCheckedFileHtml } from "./report-html.js";
import { trustView } from "./report-trust.js";
import { etsiValidationReport } from "../verify/etsi-report.js";
import { REPORT_PAGE_HEADERS } from "./page.js";
import type { MountedDeps } from "./deps.js";
import { errors, multipartFile, routes, xmlBody } from "./http.js";

export function publicDocument(d: DocumentRow & { recipients?: string[] }) {
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

/** The routes of documents, as a sub-app the API mounts. */
export function documentRoutes(deps: MountedDeps): OpenAPIHono<AuthEnv> {
  const { blobs, documents } = deps;
  const app = routes();
  const ingest = ["ingest"] as const;
  const viewer = ["viewer", "auditor"] as const;

  app.openapi(
    securedRoute(deps.access, ingest, {
      method: "post",
      path: "/api/v1/documents",
      summary:
        "Upload one exchanged document (multipart/form-data: `file` plus the metadata fields of DESIGN.md §4.6); a file that is not a PDF is stored and counted electronic-not-pdf",
      responses: {
        202: json(
          z.object({ id: z.string(), sha256: z.string(), status: z.string(), existing: z.boolean(), note: z.string().optional() }),
          "accepted: queued for analysis (or already known; `note` says how, e.g. the same document with another file)",
        ),
        ...errors,
        413: json(ErrorBody, "too large"),
        415: json(ErrorBody, "not multipart"),
      },
    }),
    async (c) => {
      const { form, file, bytes } = await multipartFile(c, "a `file` field and the metadata fields");
      // a .doc or an image was exchanged all the same: stored, counted electronic-not-pdf, never refused
      const kind = Buffer.from(bytes.subarray(0, 1024)).includes("%PDF-") ? "pdf" : "not-pdf";
      const fields = Object.fromEntries(Object.entries(form).filter(([k, v]) => k !== "file" && typeof v === "string")) as Record<string, string>;
      const { directory } = await knownDirectory(deps.readModel);
      const meta = parseMetadata(fields, directory.resolve, clockNow()); // validated before anything is stored
      requireSender(c.get("key"), meta.sender, directory);
      const sha256 = await blobs.putAsync(bytes);
      // durable when it resolves (the 202 promises the document is kept)
      const r = await submitTo(
        deps.lifecycle,
        { kind: "document", source: "upload", meta, file: { sha256, bytes: bytes.length, kind, name: file.name || null } },
        actorOf(c.get("key")),
      );
      if (r.status === "queued" && !r.existing) deps.onQueued();
      return c.json({ id: r.id!, sha256, status: r.status!, existing: r.existing, ...(r.note ? { note: r.note } : {}) }, 202);
    },
  );

  // the list, its sort orders and its files for spreadsheets
  documentListRoute(app, deps, publicDocument);

  const docId = z.object({ id: z.string().min(1) });

  app.openapi(
    securedRoute(deps.access, viewer, {
      method: "get",
      path: "/api/v1/documents/{id}",
      summary: "One document: metadata, status, category",
      request: { params: docId },
      responses: { 200: json(Loose, "the document"), 404: json(ErrorBody, "unknown id") },
    }),
    async (c) => {
      const d = await documents.document(c.req.valid("param").id);
      if (!d) throw new ApiError(404, "NOT_FOUND", "no such document");
      return c.json({ ...publicDocument(d), events: await documents.events(d.id) }, 200);
    },
  );

  app.openapi(
    securedRoute(deps.access, viewer, {
      method: "get",
      path: "/api/v1/documents/{id}/report",
      summary: "The DocumentReport of the latest analysis; with ?format=xml the same as an ETSI TS 119 102-2 validation report",
      request: { params: docId, query: z.object({ format: z.enum(["json", "xml"]).optional() }) },
      responses: {
        200: { content: { "application/json": { schema: Loose }, "application/xml": { schema: z.string() } }, description: "the report" },
        404: json(ErrorBody, "unknown id, or not analyzed yet"),
      },
    }),
    async (c) => {
      const a = await documents.latestAnalysis(c.req.valid("param").id);
      const r = a && (JSON.parse(a.reportJson) as DocumentReport);
      if (!r) throw new ApiError(404, "NOT_FOUND", "no analysis for this document (unknown, pending, or a paper exchange)");
      if (c.req.valid("query").format === "xml") return xmlBody(c, etsiValidationReport(r));
      return c.json(r as unknown as Record<string, unknown>, 200);
    },
  );

  app.openapi(
    securedRoute(deps.access, ["ingest", "auditor"], {
      method: "post",
      path: "/api/v1/check",
      summary:
        "Check one document: multipart `file`; the DocumentReport (with ?format=html the report page, ?lang=en in English; with ?format=xml the ETSI TS 119 102-2 validation report). Nothing is stored, logged or counted",
      request: { query: z.object({ format: z.enum(["json", "html", "xml"]).optional(), lang: z.enum(["vi", "en"]).optional() }) },
      responses: {
        200: {
          content: { "application/json": { schema: Loose }, "text/html": { schema: z.string() }, "application/xml": { schema: z.string() } },
          description: "the report",
        },
        ...errors,
        413: json(ErrorBody, "too large"),
        415: json(ErrorBody, "not multipart"),
        503: json(ErrorBody, "checking is not available here"),
      },
    }),
    async (c) => {
      if (!deps.check) throw new ApiError(503, "NOT_AVAILABLE", "this server does not check single documents");
      const { file, bytes } = await multipartFile(c, "a `file` field");
      const out = await deps.check(bytes);
      if (!out.ok) throw new ApiError(422, "NOT_CHECKED", `the file could not be checked: ${out.message}`);
      const q = c.req.valid("query");
      if (q.format === "xml") return xmlBody(c, etsiValidationReport(out.report));
      if (q.format !== "html") return c.json(out.report as unknown as Record<string, unknown>, 200);
      // a page about a file, not a stored document: its name and kyso's time of checking it, none of a
      // register's fields (number, sender, receipt, category, counted), no log
      const checkedAt = out.report.existence?.time ?? clockNow().toISOString();
      return c.html(
        renderCheckedFileHtml({ report: out.report, fileName: file.name || null, checkedAt, trust: trustView(deps.trust()) }, q.lang ?? "vi"),
        200,
        REPORT_PAGE_HEADERS,
      );
    },
  );

  return app;
}
