#!/usr/bin/env node
// Entry point installed as `kyso`: runs the compiled CLI (built by `npm ci` through the prepare script).
// The thread pool serves the flushes each acknowledged upload waits for (blob, folder, WAL) beside the
// analysis threads' reads: 16 threads unless the environment says otherwise (bench/pipeline). It is
// sized when first used, so before anything else is loaded.
process.env.UV_THREADPOOL_SIZE ??= "16";
const { main } = await import("../dist/cli/main.js");

// a reader that stopped reading (kyso audit key | head -1) ends the output, not with a stack trace
process.stdout.on("error", (e) => {
  if (e && e.code === "EPIPE") process.exit(process.exitCode ?? 0);
  throw e;
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    process.stderr.write(`kyso: internal error: ${e && e.stack ? e.stack : e}\n`);
    process.exitCode = 2;
  },
);
