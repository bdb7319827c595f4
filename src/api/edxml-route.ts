// POST /api/v1/edxml: one message of the national document exchange. Its header becomes the document's
// metadata (sender, recipients, số/ký hiệu, date, type, subject, urgency); its first PDF (directly attached
// or inside a zip) is the document, analyzed like an upload; further PDFs are reported as annexes. The raw
// message is kept as a blob; the same message again is the same document. A message without a PDF, or
// with unknown agencies, stores nothing.
import { z } from "@hono/zod-openapi";
import type { OpenAPIHono } from "@hono/zod-openapi";
import { attachmentSummary, EdxmlError, edxmlMetadata, parseEdxml } from "../ingest/edxml.js";
import { MetadataError } from "../ingest/metadata.js";
import { listAgencies, recordEdxmlMessage } from "../store/documents.js";
import type { ApiDeps } from "./app.js";
import { actorOf, securedRoute, type AuthEnv } from "./auth.js";
import { ApiError } from "./errors.js";
import { ErrorBody, json } from "./schemas.js";

export function registerEdxmlRoute(app: OpenAPIHono<AuthEnv>, deps: ApiDeps, maxBytes: number): void {
  const { db, blobs } = deps;
  app.openapi(
    securedRoute(db, ["ingest"], {
      method: "post",
      path: "/api/v1/edxml",
      summary: "One edXML message of the national document exchange (application/xml): its header is the metadata, its first PDF the document; ?receivedAt=ISO when it was received (default now)",
      request: { query: z.object({ receivedAt: z.string().optional() }) },
      responses: {
        202: json(z.object({ message: z.string(), document: z.object({ id: z.string(), sha256: z.string(), status: z.string(), existing: z.boolean() }), annexes: z.array(z.string()), skipped: z.array(z.string()) }), "accepted: the document is queued for analysis (or already known)"),
        400: json(ErrorBody, "not edXML, or bad metadata"),
        413: json(ErrorBody, "an attachment too large"),
        415: json(ErrorBody, "not XML"),
        422: json(ErrorBody, "no PDF in the message"),
      },
    }),
    async (c) => {
      const type = c.req.header("content-type") ?? "";
      if (!/^(application|text)\/([\w.+-]*\+)?xml\b/.test(type)) throw new ApiError(415, "UNSUPPORTED_MEDIA_TYPE", "send the edXML message as application/xml");
      const raw = new Uint8Array(await c.req.arrayBuffer());
      let msg;
      try {
        msg = parseEdxml(Buffer.from(raw).toString("utf8"), { maxFileBytes: maxBytes, maxFiles: 100 });
      } catch (e) {
        if (e instanceof EdxmlError) throw e.tooLarge ? new ApiError(413, "TOO_LARGE", e.message) : new ApiError(400, "BAD_EDXML", e.message);
        throw e;
      }
      const first = msg.pdfs[0];
      if (!first) throw new ApiError(422, "NO_PDF", `the message carries no PDF${msg.skipped.length ? ` (attachments: ${msg.skipped.join(", ")})` : ""}`);
      const known = new Set(listAgencies(db).map((a) => a.code));
      let meta;
      try {
        meta = edxmlMetadata(msg, known, new Date(), c.req.valid("query").receivedAt);
      } catch (e) {
        if (e instanceof MetadataError) throw new ApiError(400, "BAD_METADATA", `edXML header: ${e.message}`);
        throw e;
      }
      // validated: now store the raw message, the document, and the link between them
      const messageSha = await blobs.putAsync(raw);
      const sha256 = await blobs.putAsync(first.bytes);
      const attachments = attachmentSummary(msg);
      const r = recordEdxmlMessage(db, { messageSha, meta, file: { sha256, bytes: first.bytes.length }, attachments }, actorOf(c.get("key")));
      if (r.status === "queued") deps.onQueued();
      return c.json({ message: messageSha, document: { id: r.id, sha256, status: r.status, existing: r.existing }, annexes: attachments.annexes, skipped: attachments.skipped }, 202);
    },
  );
}
