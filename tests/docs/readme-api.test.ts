// The README's API table says what the server does: every route of the OpenAPI document is in it with
// the roles the route admits (x-kyso-roles, admin aside), every route the table names exists, and the
// pages outside /api/v1 are listed too. A route added, removed or re-roled without the README fails here.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "../helpers/paths.js";
import { startSampleServer, type SampleServer } from "../helpers/sample-server.js";

let s: SampleServer;
beforeAll(async () => {
  s = await startSampleServer(4, 3);
}, 60_000);
afterAll(async () => s?.server.close());

/** Each README row's routes ("GET /a/b", with `/c` meaning a sibling and `[/:id]` an optional part) and roles. */
function readmeRoutes(): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const text = readFileSync(join(ROOT, "README.md"), "utf8");
  for (const line of text.split("\n")) {
    const m = /^\| (`(?:GET|POST|PUT|DELETE) [^|]+) \| ([^|]+) \|/.exec(line);
    if (!m) continue;
    const cells = [...m[1]!.matchAll(/`([^`]+)`/g)].map((x) => x[1]!);
    const [method, first] = cells[0]!.split(" ") as [string, string];
    const base = first.slice(0, first.lastIndexOf("/"));
    const paths = [first, ...cells.slice(1).map((c) => (c.startsWith("/") && !c.startsWith("/api") ? base + c : c))];
    const roles = m[2]!.trim().startsWith("none") || m[2]!.trim() === "any key" ? [] : m[2]!.split(",").map((r) => r.trim());
    for (const p of paths) {
      const opt = /^(.*)\[(\/:\w+)\]$/.exec(p);
      for (const q of opt ? [opt[1]!, opt[1]! + opt[2]!] : [p]) out.set(`${method} ${q}`, roles);
    }
  }
  return out;
}

describe("the README's API table", () => {
  it("lists every route of the OpenAPI document with the roles it admits, and no route that does not exist", async () => {
    const doc = (await (await s.as("admin", "/api/v1/openapi.json")).json()) as { paths: Record<string, Record<string, { "x-kyso-roles"?: string[] }>> };
    const readme = readmeRoutes();
    const api = new Map<string, string[]>();
    for (const [path, ops] of Object.entries(doc.paths))
      for (const [method, op] of Object.entries(ops))
        api.set(
          `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ":$1")}`,
          (op["x-kyso-roles"] ?? []).filter((r) => r !== "admin"),
        );
    expect(api.size).toBeGreaterThan(20);
    const missing = [...api.keys()].filter((k) => !readme.has(k));
    expect(missing, "routes the README does not list").toEqual([]);
    // admin is admitted everywhere: the README names it only where it is the one role
    for (const [k, roles] of api) expect([...readme.get(k)!].sort(), k).toEqual(roles.length ? [...roles].sort() : ["admin"]);
    const unknown = [...readme.keys()].filter((k) => k.includes("/api/v1/") && !api.has(k) && k !== "GET /api/v1/openapi.json");
    expect(unknown, "README routes the server does not have").toEqual([]);
  });

  it("lists the pages and operations outside the API, and each answers", async () => {
    const readme = readmeRoutes();
    for (const path of ["/dashboard", "/auditor", "/check", "/healthz", "/readyz", "/metrics"]) {
      expect(readme.has(`GET ${path}`), path).toBe(true);
      expect((await fetch(`${s.server.url}${path}`)).status, path).toBe(200);
    }
  });
});
