// Response schemas every route file shares: the error body of DESIGN.md §4.5, a JSON response, and an
// object whose shape the route does not spell out (reports and statistics have their own TypeScript types).
import { z } from "@hono/zod-openapi";

export const ErrorBody = z.object({ error: z.object({ code: z.string(), message: z.string() }) }).openapi("Error");
export const json = (schema: z.ZodType, description: string) => ({ content: { "application/json": { schema } }, description });
export const Loose = z.record(z.string(), z.unknown());
