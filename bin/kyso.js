#!/usr/bin/env node
// Entry point installed as `kyso`: runs the compiled CLI (built by `npm ci` through the prepare script).
import { main } from "../dist/cli/main.js";

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
