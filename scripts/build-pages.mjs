// Bundles each page's script (src/pages/<page>/main.ts) into dist/pages/<page>.js, which the server reads
// once and inlines under a hash-pinned Content-Security-Policy (src/api/page.ts). Run by `npm run build`.
import { build } from "esbuild";
import { readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const PAGES = ["dashboard", "auditor", "check"];

await Promise.all(
  PAGES.map(async (page) => {
    const outfile = join(root, "dist", "pages", `${page}.js`);
    await build({
      entryPoints: [join(root, "src", "pages", page, "main.ts")],
      outfile,
      bundle: true,
      format: "iife",
      target: "es2020",
      platform: "browser",
      charset: "utf8",
      legalComments: "none",
      logLevel: "warning",
    });
    // inlined in a <script> element: a closing tag inside it would end the script early
    if (/<\/script/i.test(await readFile(outfile, "utf8"))) throw new Error(`${outfile} holds "</script": it cannot be inlined`);
  }),
);
