// How far a full check has gone, told through memory shared with the thread that runs it: the log's
// entries walked of its length, then the documents replayed of the store's. The check writes it as it
// goes; the server reads it for /readyz and /metrics while the check runs (minutes at five years of log).
export interface CheckProgress {
  log(done: number, total: number): void;
  figures(done: number, total: number): void;
}

export interface ProgressState {
  part: "log" | "figures";
  done: number;
  total: number;
}

/** Progress in shared memory (`buffer`, else a new one): the check's side and the reader's. */
export function sharedProgress(buffer: SharedArrayBuffer = new SharedArrayBuffer(24)): {
  buffer: SharedArrayBuffer;
  report: CheckProgress;
  read(): ProgressState | null;
} {
  // [part: 0 none, 1 log, 2 figures; done; total]: a reader may see a mix of two writes, a figure off by one batch
  const v = new Float64Array(buffer);
  const write = (part: number) => (done: number, total: number) => {
    v[1] = done;
    v[2] = total;
    v[0] = part;
  };
  return {
    buffer,
    report: { log: write(1), figures: write(2) },
    read: () => (v[0] === 0 ? null : { part: v[0] === 1 ? "log" : "figures", done: v[1]!, total: v[2]! }),
  };
}
