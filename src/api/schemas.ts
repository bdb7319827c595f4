// Response schemas every route file shares: the error body of DESIGN.md §4.5, a JSON response, and an
// object whose shape the route does not spell out (reports and statistics have their own TypeScript types).
import { z } from "@hono/zod-openapi";
import { isCalendarDay } from "../ingest/dates.js";

export const ErrorBody = z.object({ error: z.object({ code: z.string(), message: z.string() }) }).openapi("Error");
export const json = (schema: z.ZodType, description: string) => ({ content: { "application/json": { schema } }, description });
export const Loose = z.record(z.string(), z.unknown());

/** A query parameter that is a day: YYYY-MM-DD and a day of the calendar (2024-02-30 is a 400, never a 500). */
export const calendarDay = (name: string) =>
  z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, `${name} must be YYYY-MM-DD`)
    .refine(isCalendarDay, `${name} is not a day of the calendar`);
