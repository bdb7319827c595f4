// The RSA encodings accepted beside PKCS#1's own (cms/rsa-digest-info.ts): a DigestInfo without the NULL
// parameter, and a value over the digest algorithm's hash; every other encoding of the same digest is
// refused, so no malleable form slips through.
import { constants, createHash, generateKeyPairSync, privateEncrypt } from "node:crypto";
import { describe, expect, it } from "vitest";
import { readRsaDigestInfo } from "../../src/cms/rsa-digest-info.js";
import { algo, nul, octets, oid, seq, tlv } from "../../src/asn1/der-writer.js";

const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
const data = [Buffer.from("the signed attributes")];
const SHA256 = "2.16.840.1.101.3.4.2.1";
const digest = createHash("sha256").update(data[0]!).digest();
const value = (digestInfo: Buffer) => privateEncrypt({ key: privateKey, padding: constants.RSA_PKCS1_PADDING }, digestInfo);

describe("reading an RSA PKCS#1 v1.5 value's DigestInfo", () => {
  it("reads the canonical form and the form without NULL, naming which", () => {
    expect(readRsaDigestInfo(publicKey, value(seq(algo(SHA256), octets(digest))), data, ["sha256"])).toEqual({ encoding: "canonical", hash: "sha256" });
    expect(readRsaDigestInfo(publicKey, value(seq(algo(SHA256, null), octets(digest))), data, ["sha256"])).toEqual({
      encoding: "no-null-params",
      hash: "sha256",
    });
  });

  it("refuses every other encoding of the right digest", () => {
    const variants = [
      seq(seq(oid(SHA256), nul(), nul()), octets(digest)), // two parameters
      seq(seq(oid(SHA256), tlv(0x04, Buffer.alloc(0))), octets(digest)), // an empty OCTET STRING as parameter
      Buffer.concat([seq(algo(SHA256, null), octets(digest)), Buffer.from([0])]), // a trailing byte
      Buffer.from([0x30, 0x81, 0x2f, ...seq(algo(SHA256, null), octets(digest)).subarray(2)]), // a long-form length
      seq(octets(digest), algo(SHA256)), // fields swapped
      seq(algo("2.16.840.1.101.3.4.2.2", null), octets(digest)), // another hash named
    ];
    for (const v of variants) expect(readRsaDigestInfo(publicKey, value(v), data, ["sha256"])).toBeNull();
  });

  it("refuses a value over other bytes, and a key that is not RSA", () => {
    expect(readRsaDigestInfo(publicKey, value(seq(algo(SHA256, null), octets(digest))), [Buffer.from("other bytes")], ["sha256"])).toBeNull();
    const ec = generateKeyPairSync("ec", { namedCurve: "P-256" }).publicKey;
    expect(readRsaDigestInfo(ec, Buffer.alloc(256), data, ["sha256"])).toBeNull();
  });
});
