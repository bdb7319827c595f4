// A bounded zip reader for attachments of hostile messages: the central directory is read first, every
// member's declared size is checked against the caps before anything is inflated, and each member is
// inflated with a hard output cap (zlib stops at the cap whatever the member declared), so a member
// declaring 1 kB that inflates to 1 GB costs at most the cap.
import { inflateRawSync } from "node:zlib";

export class ZipLimitError extends Error {
  override name = "ZipLimitError";
}
export class ZipFormatError extends Error {
  override name = "ZipFormatError";
}

export interface ZipBudget {
  /** the largest one member may inflate to */
  maxFileBytes: number;
  /** bytes left for the whole message (shared by every zip of one message); decreased as members inflate */
  remaining: number;
  /** most members read */
  maxFiles: number;
}

export interface ZipMember {
  name: string;
  bytes: Uint8Array;
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

export const isZip = (b: Uint8Array): boolean => b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04;

/** Members of a zip archive (folders skipped), in central-directory order, within the budget. */
export function readZip(zip: Uint8Array, budget: ZipBudget): ZipMember[] {
  const buf = Buffer.from(zip.buffer, zip.byteOffset, zip.byteLength);
  const eocd = findEocd(buf);
  const count = buf.readUInt16LE(eocd + 10);
  const cdOffset = buf.readUInt32LE(eocd + 16);
  if (count > budget.maxFiles) throw new ZipLimitError(`the zip holds ${count} files, more than ${budget.maxFiles}`);
  const entries: Array<{ name: string; method: number; compressed: number; size: number; local: number }> = [];
  let p = cdOffset;
  let declared = 0;
  for (let i = 0; i < count; i++) {
    if (p + 46 > buf.length || buf.readUInt32LE(p) !== CENTRAL) throw new ZipFormatError("the zip's central directory is damaged");
    const method = buf.readUInt16LE(p + 10);
    const compressed = buf.readUInt32LE(p + 20);
    const size = buf.readUInt32LE(p + 24);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    const name = buf.subarray(p + 46, p + 46 + nameLen).toString("utf8");
    p += 46 + nameLen + extraLen + commentLen;
    if (name.endsWith("/")) continue;
    if (size === 0xffffffff || compressed === 0xffffffff) throw new ZipLimitError(`'${name}' is a zip64 member (over 4 GB)`);
    if (size > budget.maxFileBytes) throw new ZipLimitError(`'${name}' declares ${size} bytes, more than ${budget.maxFileBytes}`);
    declared += size;
    if (declared > budget.remaining)
      throw new ZipLimitError(`the zip declares ${declared} bytes or more, more than the ${budget.remaining} left for this message`);
    entries.push({ name, method, compressed, size, local });
  }
  return entries.map((e) => {
    const at = e.local;
    if (at + 30 > buf.length || buf.readUInt32LE(at) !== LOCAL) throw new ZipFormatError(`'${e.name}': local header missing`);
    const start = at + 30 + buf.readUInt16LE(at + 26) + buf.readUInt16LE(at + 28);
    const data = buf.subarray(start, start + e.compressed);
    if (data.length < e.compressed) throw new ZipFormatError(`'${e.name}' is cut short`);
    const cap = Math.min(budget.maxFileBytes, budget.remaining);
    let bytes: Uint8Array;
    if (e.method === 0) bytes = data;
    else if (e.method === 8) {
      try {
        bytes = inflateRawSync(data, { maxOutputLength: cap + 1 });
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE")
          throw new ZipLimitError(`'${e.name}' inflates to more than ${cap} bytes (it declares ${e.size})`);
        throw new ZipFormatError(`'${e.name}' cannot be inflated: ${(err as Error).message}`);
      }
    } else throw new ZipFormatError(`'${e.name}' uses compression method ${e.method}`);
    if (bytes.length > cap) throw new ZipLimitError(`'${e.name}' inflates to more than ${cap} bytes (it declares ${e.size})`);
    budget.remaining -= bytes.length;
    return { name: e.name, bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) };
  });
}

function findEocd(buf: Buffer): number {
  const min = Math.max(0, buf.length - 22 - 0xffff);
  for (let i = buf.length - 22; i >= min; i--) if (buf.readUInt32LE(i) === EOCD) return i;
  throw new ZipFormatError("not a readable zip (no end of central directory)");
}
