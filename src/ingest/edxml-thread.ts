// Worker-thread side of the edXML parser: parses one message and posts it back, its file bytes moved,
// not copied. Runs apart so that a hostile message costs this thread (ended on time-out), never the
// event loop that answers HTTP.
import { parentPort } from "node:worker_threads";
import { EdxmlError, parseEdxml, type EdxmlLimits, type EdxmlMessage } from "./edxml.js";
import type { ThreadAnswer } from "./parse-thread.js";

export interface ParseJob {
  id: number;
  xml: Uint8Array;
  limits: EdxmlLimits;
}

export type ParseResult = ThreadAnswer<EdxmlMessage>;

parentPort?.on("message", (job: ParseJob) => {
  try {
    const message = parseEdxml(Buffer.from(job.xml.buffer, job.xml.byteOffset, job.xml.byteLength).toString("utf8"), job.limits);
    const transfer =
      message.kind === "document"
        ? message.files.flatMap((f) =>
            f.bytes && f.bytes.byteOffset === 0 && f.bytes.byteLength === f.bytes.buffer.byteLength ? [f.bytes.buffer as ArrayBuffer] : [],
          )
        : [];
    parentPort!.postMessage({ id: job.id, ok: true, result: message } satisfies ParseResult, [...new Set(transfer)]);
  } catch (e) {
    const known = e instanceof EdxmlError;
    parentPort!.postMessage({
      id: job.id,
      ok: false,
      tooLarge: known && e.tooLarge,
      ...(known && e.notExchange ? { code: "not-exchange" } : {}),
      message: known ? e.message : `the message cannot be read: ${(e as Error).message}`,
    } satisfies ParseResult);
  }
});
