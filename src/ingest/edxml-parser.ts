// Parses edXML messages off the caller's event loop (parse-thread.ts): a time limit and a heap limit per
// message. The HTTP route and kyso scan use it, so a hostile message costs its thread, never the service.
import { DEFAULT_LIMITS, EdxmlError, type EdxmlLimits, type EdxmlMessage } from "./edxml.js";
import type { ParseJob } from "./edxml-thread.js";
import { ParseThread, threadPath } from "./parse-thread.js";

export interface ParserOptions {
  limits: EdxmlLimits;
  /** per message, milliseconds */
  timeoutMs: number;
  /** the thread's V8 heap, MB (decoded files live outside it) */
  maxHeapMb: number;
}

export class EdxmlParser {
  private readonly thread: ParseThread<Omit<ParseJob, "id">, EdxmlMessage>;
  private readonly limits: EdxmlLimits;

  constructor(o: Partial<ParserOptions> = {}) {
    this.limits = o.limits ?? DEFAULT_LIMITS;
    this.thread = new ParseThread(
      threadPath("edxml-thread"),
      { timeoutMs: o.timeoutMs ?? 5_000, maxHeapMb: o.maxHeapMb ?? 384 },
      (m, big, code) => new EdxmlError(m, big, code === "not-exchange"),
    );
  }

  /** The parsed message, or an EdxmlError (too large, malformed, or over the time limit). */
  parse(xml: Uint8Array): Promise<EdxmlMessage> {
    return this.thread.run({ xml, limits: this.limits });
  }

  close(): Promise<void> {
    return this.thread.close();
  }
}
