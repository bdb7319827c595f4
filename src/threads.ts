// Where a worker thread's compiled module is: beside the running code when it is compiled, under dist/ when
// the code runs from its TypeScript sources (tests), since a worker cannot load TypeScript itself.
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The compiled thread module `name` of a src folder (`folder` under src, e.g. "store/check"). */
export function threadPath(name: string, folder = "ingest"): string {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith(".js")) return join(dirname(here), folder, `${name}.js`);
  const built = join(dirname(here), "..", "dist", folder, `${name}.js`);
  if (!existsSync(built)) throw new Error(`compiled thread not found at ${built}: run 'npm run build' first`);
  return built;
}
