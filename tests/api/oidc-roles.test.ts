// Where a person's kyso role comes from after the identity provider's sign-in, and the settings that say
// so: the local map's subject first, else the role claim's values (mapped, or taken as role names), the
// widest of several; settings that cannot work are refused at start with the setting named.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { nameOf, roleOf } from "../../src/api/oidc-roles.js";
import { readRoleMap, signInSettingsFromEnv } from "../../src/api/sign-in-settings.js";
import { serverOptionsFromEnv } from "../../src/server.js";

const map = { values: { "lanh-dao": "viewer", "thanh-tra": "auditor", cntt: "admin" }, subjects: { "u-42": "auditor" } } as const;

describe("roleOf", () => {
  it.each([
    ["a role name in the claim", { sub: "a", kyso_roles: ["viewer"] }, { roleClaim: "kyso_roles", roleMap: null }, "viewer"],
    ["a space-separated claim", { sub: "a", kyso_roles: "viewer auditor" }, { roleClaim: "kyso_roles", roleMap: null }, "auditor"],
    ["the widest of several", { sub: "a", kyso_roles: ["ingest", "admin", "viewer"] }, { roleClaim: "kyso_roles", roleMap: null }, "admin"],
    ["never ingest: people do not submit documents", { sub: "a", kyso_roles: ["ingest"] }, { roleClaim: "kyso_roles", roleMap: null }, null],
    ["a value named like a role is no role when a map is set", { sub: "a", groups: ["admin", "lanh-dao"] }, { roleClaim: "groups", roleMap: map }, "viewer"],
    ["a subject or value that is an object's own name is no entry", { sub: "constructor", groups: ["toString"] }, { roleClaim: "groups", roleMap: map }, null],
    ["no value that is a role", { sub: "a", kyso_roles: ["reader", "Viewer"] }, { roleClaim: "kyso_roles", roleMap: null }, null],
    ["no claim at all", { sub: "a" }, { roleClaim: "kyso_roles", roleMap: null }, null],
    ["a group mapped", { sub: "a", groups: ["van-thu", "lanh-dao"] }, { roleClaim: "groups", roleMap: map }, "viewer"],
    ["the widest mapped group", { sub: "a", groups: ["lanh-dao", "thanh-tra"] }, { roleClaim: "groups", roleMap: map }, "auditor"],
    ["the subject over the groups", { sub: "u-42", groups: ["cntt"] }, { roleClaim: "groups", roleMap: map }, "auditor"],
    ["the subject with no claim configured", { sub: "u-42" }, { roleClaim: null, roleMap: map }, "auditor"],
    ["an unmapped group", { sub: "b", groups: ["van-thu"] }, { roleClaim: "groups", roleMap: map }, null],
  ] as const)("%s", (_what, claims, o, role) => {
    expect(
      roleOf(claims as Record<string, unknown>, {
        roleClaim: o.roleClaim,
        roleMap: o.roleMap ? { values: { ...o.roleMap.values }, subjects: { ...o.roleMap.subjects } } : null,
      }),
    ).toBe(role);
  });

  it("names a person by name, else login, else e-mail, else subject", () => {
    expect([
      nameOf({ sub: "s", name: "Lê Hai", email: "e@x" }),
      nameOf({ sub: "s", preferred_username: "lehai" }),
      nameOf({ sub: "s", email: "e@x" }),
      nameOf({ sub: "s" }),
    ]).toEqual(["Lê Hai", "lehai", "e@x", "s"]);
  });
});

describe("the sign-in settings", () => {
  const dir = mkdtempSync(join(tmpdir(), "kyso-roles-"));
  const file = (name: string, text: string) => {
    const f = join(dir, name);
    writeFileSync(f, text);
    return f;
  };
  const oidc = { KYSO_OIDC_ISSUER: "https://id.tayninh.gov.vn/realms/tinh", KYSO_OIDC_CLIENT_ID: "kyso", KYSO_PUBLIC_URL: "https://kyso.tayninh.gov.vn/" };

  it("default to key sign-in with 12-hour sessions", () => {
    expect(signInSettingsFromEnv({})).toEqual({ sessionTtlMs: 12 * 3600_000, publicUrl: null, oidc: null });
    expect(signInSettingsFromEnv({ KYSO_SESSION_HOURS: "8" }).sessionTtlMs).toBe(8 * 3600_000);
  });

  it("derive the callback from the public address, and read the map", () => {
    const s = signInSettingsFromEnv({ ...oidc, KYSO_OIDC_ROLE_CLAIM: "groups", KYSO_OIDC_ROLE_MAP: file("ok.json", JSON.stringify(map)) });
    expect(s.oidc).toEqual({
      issuer: oidc.KYSO_OIDC_ISSUER,
      clientId: "kyso",
      clientSecret: null,
      redirectUrl: "https://kyso.tayninh.gov.vn/sign-in/oidc/callback",
      scope: "openid profile",
      roleClaim: "groups",
      roleMap: map,
    });
  });

  it.each([
    ["KYSO_SESSION_HOURS", { KYSO_SESSION_HOURS: "0" }],
    ["KYSO_PUBLIC_URL", { KYSO_PUBLIC_URL: "kyso.example" }],
    ["KYSO_OIDC_CLIENT_ID", { KYSO_OIDC_ISSUER: "https://id.example" }],
    ["KYSO_OIDC_REDIRECT_URL", { KYSO_OIDC_ISSUER: "https://id.example", KYSO_OIDC_CLIENT_ID: "kyso", KYSO_OIDC_ROLE_CLAIM: "roles" }],
    ["KYSO_OIDC_ROLE_CLAIM or KYSO_OIDC_ROLE_MAP", { ...oidc }],
    ["KYSO_OIDC_ROLE_MAP", { ...oidc, KYSO_OIDC_ROLE_MAP: join(dir, "missing.json") }],
  ])("refuse a setup that cannot work, naming %s", (name, env) => {
    expect(() => signInSettingsFromEnv(env)).toThrow(name);
  });

  it("are what kyso serve reads from its environment", () => {
    expect(serverOptionsFromEnv({ KYSO_SESSION_HOURS: "2", KYSO_PUBLIC_URL: "https://kyso.example" }).signIn).toEqual({
      sessionTtlMs: 2 * 3600_000,
      publicUrl: "https://kyso.example",
      oidc: null,
    });
    expect(() => serverOptionsFromEnv({ KYSO_OIDC_ISSUER: "https://id.example" })).toThrow("KYSO_OIDC_CLIENT_ID");
  });

  it("refuse a map that gives something other than a role", () => {
    expect(() => readRoleMap(file("bad.json", JSON.stringify({ values: { "lanh-dao": "leader" } })))).toThrow(/values "lanh-dao" maps to 'leader', not a role/);
    expect(() => readRoleMap(file("ingest.json", JSON.stringify({ subjects: { "u-1": "ingest" } })))).toThrow(
      /subjects "u-1" maps to 'ingest', which people do not sign in with/,
    );
    for (const hours of ["Infinity", "10000", "0", "-1", "x"])
      expect(() => signInSettingsFromEnv({ KYSO_SESSION_HOURS: hours }), hours).toThrow(/KYSO_SESSION_HOURS must be a number of hours from above 0 to 720/);
    expect(signInSettingsFromEnv({ KYSO_SESSION_HOURS: "720" }).sessionTtlMs).toBe(720 * 3600_000);
    expect(() => readRoleMap(file("list.json", JSON.stringify({ subjects: ["a"] })))).toThrow(/"subjects" must be an object/);
  });
});
