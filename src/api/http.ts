// What the route files share: a sub-app whose request validators answer in the API's error shape, the
// period and table queries, CSV and XML bodies, and the multipart reader that counts parts first.
import { OpenAPIHono, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { isCalendarDay } from "../ingest/dates.js";
import type { AuthEnv } from "./auth.js";
import { ApiError } from "./errors.js";
import { ErrorBody, json } from "./schemas.js";

/** A register exported as an Excel workbook. */
export const XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/** A group of routes: an OpenAPI sub-app whose validation failures are 400s in the API's error shape. */
export function routes(): OpenAPIHono<AuthEnv> {
  return new OpenAPIHono<AuthEnv>({
    defaultHook: (result, c) => {
      if (!result.success)
        return c.json(
          {
            error: {
              code: "BAD_REQUEST",
              message: result.error.issues.map((i) => (i.path.length ? `${i.path.join(".")}: ${i.message}` : i.message)).join("; "),
            },
          },
          400,
        );
      return undefined;
    },
  });
}

export const errors = { 400: json(ErrorBody, "invalid input") };
export const PeriodQuery = z.object({
  // the shape here; a day outside the calendar is BAD_PERIOD from period()
  from: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, "from must be YYYY-MM-DD")
    .optional(),
  to: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, "to must be YYYY-MM-DD")
    .optional(),
  agency: z.string().optional(),
});
export const TableQuery = PeriodQuery.extend({ format: z.enum(["json", "csv"]).optional() });

export const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/** An XML document (the ETSI validation report). */
export function xmlBody(c: Context, text: string): Response {
  return c.body(text, 200, { "content-type": "application/xml; charset=utf-8" });
}

/** A CSV table as a download. */
export function csvFile(c: Context, text: string, name: string): Response {
  return c.body(text, 200, { "content-type": "text/csv; charset=utf-8", "content-disposition": `attachment; filename="${name.replace(/[^\w.-]/g, "_")}"` });
}

export function period(q: { from?: string | undefined; to?: string | undefined }): { from: string; to: string } {
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
export async function multipartFile(
  c: Context,
  expected: string,
): Promise<{ form: Record<string, string | File | (string | File)[]>; file: File; bytes: Uint8Array }> {
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
