// Worker-thread side of the register reader: parses one register (CSV, or an XLSX workbook) against the directory it is given
// and posts the rows back, so a large or hostile register never holds the HTTP event loop.
import { parentPort } from "node:worker_threads";
import { Directory, type DirectoryEntry } from "../compliance/directory.js";
import type { ThreadAnswer } from "./parse-thread.js";
import { parseRegister, RegisterError, type RegisterRow } from "./register.js";
import { parseRegisterXlsx } from "./register-xlsx.js";

export interface RegisterJob {
  id: number;
  /** a register as CSV text, or as an XLSX workbook's bytes */
  text?: string;
  xlsx?: Uint8Array;
  owner: string | null;
  entries: DirectoryEntry[];
  /** ISO 8601: the time rows without one are received at */
  now: string;
}

parentPort?.on("message", async (job: RegisterJob) => {
  try {
    const opts = { owner: job.owner, directory: new Directory(job.entries), now: new Date(job.now) };
    const rows = job.xlsx ? await parseRegisterXlsx(job.xlsx, opts) : parseRegister(job.text ?? "", opts);
    parentPort!.postMessage({ id: job.id, ok: true, result: rows } satisfies ThreadAnswer<RegisterRow[]>);
  } catch (e) {
    parentPort!.postMessage({
      id: job.id,
      ok: false,
      tooLarge: false,
      message: e instanceof RegisterError ? e.message : `the register cannot be read: ${(e as Error).message}`,
    } satisfies ThreadAnswer<RegisterRow[]>);
  }
});
