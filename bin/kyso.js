#!/usr/bin/env node
// Entry point installed as `kyso`: runs the compiled CLI (built by `npm ci` through the prepare script).
import { main } from "../dist/cli/main.js";

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    process.stderr.write(`kyso: internal error: ${e && e.stack ? e.stack : e}\n`);
    process.exitCode = 2;
  },
);
