// GET /api/v1/documents: the document list with its filters, a sort order the server pages in, and the
// same list as a file for spreadsheets (?format=csv streamed, ?format=xlsx bounded).
import { z, type OpenAPIHono } from "@hono/zod-openapi";
import type { AuthEnv } from "./auth.js";
import { securedRoute } from "./auth.js";
import { DOCUMENT_SORTS, SortCursorError } from "../store/document-list/sorts.js";
import { ApiError } from "./errors.js";
import { calendarDay, ErrorBody, json, Loose } from "./schemas.js";
import type { MountedDeps } from "./deps.js";
import { errors, XLSX } from "./http.js";
import { documentsCsv, documentsXlsx, XLSX_MAX_ROWS } from "./document-export.js";
import type { DocumentRow } from "../store/rows.js";

/** Agency codes: one, or several separated by commas (the auditors' page sends those a typed name matches). */
const codes = z
  .string()
  .max(4000)
  .regex(/^[^,\s]+(,[^,\s]+)*$/, "agency codes separated by commas");

const ListQuery = z.object({
  agency: z.string().optional(),
  binding: z.enum(["sender", "another-agency", "not-matched", "no-organisation-signature"]).optional(),
  sealedBy: z.string().optional(),
  status: z.string().optional(),
  category: z.string().optional(),
  verdict: z.string().optional(),
  held: z.enum(["revoked", "superseded", "directory-gap"]).optional(),
  sender: codes.optional(),
  recipient: z.string().optional(),
  q: z.string().max(200).optional(),
  from: calendarDay("from").optional(),
  to: calendarDay("to").optional(),
  sort: z.enum(DOCUMENT_SORTS).optional(),
  cursor: z.string().optional(),
  limit: z.coerce.number().int().min(1).max(500).optional(),
  format: z.enum(["json", "csv", "xlsx"]).optional(),
  lang: z.enum(["vi", "en"]).optional(),
});

/** Registers the list route on the documents' sub-app; `shown` is what the API says of a document (document-routes' publicDocument). */
export function documentListRoute(app: OpenAPIHono<AuthEnv>, deps: MountedDeps, shown: (d: DocumentRow) => unknown): void {
  const { documents } = deps;
  app.openapi(
    securedRoute(deps.access, ["viewer", "auditor"], {
      method: "get",
      path: "/api/v1/documents",
      summary: `Documents with their category, newest recorded first or in the order \`sort\` names (${DOCUMENT_SORTS.join(", ")}), cursor paging (a cursor belongs to its sort); filters: status, category, verdict, held, sender (a code, or several separated by commas), agency (the one a document counts for: its sender, or the successor after a reorganisation), recipient, binding (who sealed it: sender, another-agency, not-matched, no-organisation-signature), sealedBy (the agency whose seal it carries), period (from, to), and q: words in the number or the subject. format=csv (every row, streamed, UTF-8 with a byte-order mark) or xlsx (at most ${XLSX_MAX_ROWS} rows): the same list as a file, headers in Vietnamese (lang=en: English)`,
      request: { query: ListQuery },
      responses: {
        200: {
          content: {
            "application/json": {
              schema: z.object({
                documents: z.array(Loose),
                next: z.string().nullable(),
                total: z.object({ count: z.number().int(), exact: z.boolean() }).nullable(),
              }),
            },
            "text/csv": { schema: z.string() },
            [XLSX]: { schema: z.string() },
          },
          description:
            "a page of documents; on the first page the total (exact, or at least count when more than 10,000 match a filter), null on the next pages; or the whole list as a file",
        },
        ...errors,
        413: json(ErrorBody, "more rows than a workbook holds: narrow the filters, or take the CSV"),
      },
    }),
    async (c) => {
      const { sender, sort = "recorded", format = "json", lang = "vi", cursor, limit, ...rest } = c.req.valid("query");
      const senders = sender?.split(",");
      const f = { ...rest, ...(senders && senders.length > 1 ? { senders } : { sender }) };
      if (format !== "json") {
        const names = new Map((await deps.readModel.agencies()).map((a) => [a.code, a.name]));
        const name = `kyso-documents${f.from ? `-${f.from}` : ""}${f.to ? `-${f.to}` : ""}`;
        if (format === "csv")
          return new Response(documentsCsv(documents, f, sort, names, lang), {
            status: 200,
            headers: { "content-type": "text/csv; charset=utf-8", "content-disposition": `attachment; filename="${name}.csv"` },
          }) as never;
        const bytes = await documentsXlsx(documents, f, sort, names, lang);
        if (!bytes)
          throw new ApiError(
            413,
            "TOO_MANY_ROWS",
            `the list holds more than ${XLSX_MAX_ROWS} documents, more than a workbook is made of here: narrow the filters, or take the CSV`,
          );
        return c.body(bytes as Uint8Array<ArrayBuffer>, 200, { "content-type": XLSX, "content-disposition": `attachment; filename="${name}.xlsx"` });
      }
      try {
        const { page, next, total } = await documents.list({ filter: f, cursor, limit: limit ?? 100, sort });
        return c.json({ documents: page.map(shown) as Array<Record<string, unknown>>, next, total }, 200);
      } catch (e) {
        if (e instanceof SortCursorError) throw new ApiError(400, "BAD_REQUEST", e.message);
        throw e;
      }
    },
  );
}
