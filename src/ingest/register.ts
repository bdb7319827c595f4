// Registers as agencies keep them (Nghị định 30/2020 Phụ lục IV, shared EXCHANGE.md §2): the incoming
// register (sổ đăng ký văn bản đến) and the outgoing one (sổ đăng ký văn bản đi), exported as CSV or
// semicolon CSV, UTF-8 with or without BOM, dd/MM/yyyy dates, agency names or codes, the combined
// "Tên loại và trích yếu nội dung" column split into type and subject; and kyso's own columns (DESIGN.md
// §4.6). The agency that keeps the register is given with it. A bad row is an error naming the row and
// the column; nothing of a register with a bad row is stored.
import type { Directory } from "../compliance/directory.js";
import type { DocumentMeta } from "../store/sqlite/documents.js";
import { csvObjects, sniffSeparator } from "./csv.js";
import { isCalendarDay } from "./dates.js";
import { MetadataError, parseMetadata } from "./metadata.js";

export type RegisterLayout = "incoming" | "outgoing" | "kyso";

export interface RegisterRow {
  line: number;
  layout: RegisterLayout;
  meta: DocumentMeta & { sha256?: string };
  /** kyso's layout: the file the row names (kyso scan) */
  file?: string;
  /** the incoming register's Ngày đến (YYYY-MM-DD) */
  receivedDate?: string;
  /** what a register's own paper/electronic column says (a fact recorded with the row, not a reason to skip matching) */
  form?: "paper" | "electronic" | "both";
}

/** A register read into rows of cells keyed by the header, from CSV or a workbook; `where` names a row in errors. */
export interface RegisterTable {
  header: string[];
  rows: Array<{ line: number; values: Record<string, string> } | { line: number; error: string }>;
  where: (line: number) => string;
}

export class RegisterError extends Error {
  override name = "RegisterError";
  constructor(
    message: string,
    /** over a limit (time, memory) rather than a bad row */
    readonly tooLarge = false,
  ) {
    super(message);
  }
}

/** Header text compared without diacritics, case or punctuation ("Số, ký hiệu" → "so ky hieu"). */
export function headerKey(h: string): string {
  return h
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[đĐ]/g, "d")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, " ")
    .trim();
}

type Field =
  | "receivedDate"
  | "incomingNo"
  | "sender"
  | "number"
  | "numberPart"
  | "notation"
  | "issuedDate"
  | "typeSubject"
  | "type"
  | "recipients"
  | "signer"
  | "urgency"
  | "classification"
  | "form"
  | "note";

/** Phụ lục IV's columns and the extra ones real exports add, by header key. */
const COLUMNS: Record<string, Field> = {
  "ngay den": "receivedDate",
  "so den": "incomingNo",
  "tac gia": "sender",
  "co quan ban hanh": "sender",
  "noi gui": "sender",
  "so ky hieu": "number",
  "so ky hieu van ban": "number",
  "ngay thang": "issuedDate",
  "ngay thang van ban": "issuedDate",
  "ngay van ban": "issuedDate",
  "ten loai va trich yeu noi dung": "typeSubject",
  "ten loai va trich yeu noi dung van ban": "typeSubject",
  "trich yeu": "typeSubject",
  "trich yeu noi dung": "typeSubject",
  "loai van ban": "type",
  "noi nhan van ban": "recipients",
  "noi nhan": "recipients",
  "nguoi ky": "signer",
  "do khan": "urgency",
  "do mat": "classification",
  "ghi chu": "note",
  // one real document system's report templates (EXCHANGE.md §2) and other importers' headers
  "so cv den": "numberPart",
  "so cv": "numberPart",
  "so van ban": "numberPart",
  "ky hieu cv": "notation",
  "ky hieu": "notation",
  "ky hieu van ban": "notation",
  "so ky hieu cv": "number",
  "so vao so": "incomingNo",
  "ngay nhan": "receivedDate",
  "ngay ky": "issuedDate",
  "ngay ban hanh": "issuedDate",
  "dang van ban": "form",
  "phuong thuc": "form",
  "hinh thuc": "form",
  "phuong thuc nhan": "form",
};

/** A register's paper/electronic column: 0 giấy, 1 điện tử, 2 cả hai (or the words). */
const FORMS: Record<string, RegisterRow["form"]> = {
  "0": "paper",
  giay: "paper",
  "van ban giay": "paper",
  "1": "electronic",
  "dien tu": "electronic",
  "van ban dien tu": "electronic",
  "2": "both",
  "ca hai": "both",
  "giay va dien tu": "both",
};

/** Names of document types that open the combined column (Nghị định 30 Phụ lục III, and common ones). */
const TYPE_NAMES = [
  "Công văn",
  "Quyết định",
  "Chỉ thị",
  "Nghị quyết",
  "Quy chế",
  "Quy định",
  "Thông cáo",
  "Thông báo",
  "Hướng dẫn",
  "Chương trình",
  "Kế hoạch",
  "Phương án",
  "Đề án",
  "Dự án",
  "Báo cáo",
  "Biên bản",
  "Tờ trình",
  "Hợp đồng",
  "Công điện",
  "Bản ghi nhớ",
  "Bản thỏa thuận",
  "Giấy ủy quyền",
  "Giấy mời",
  "Giấy giới thiệu",
  "Giấy nghỉ phép",
  "Phiếu gửi",
  "Phiếu chuyển",
  "Phiếu báo",
  "Thư công",
  "Kết luận",
  "Nghị định",
  "Thông tư",
  "Luật",
].sort((a, b) => b.length - a.length);

/** "Công văn V/v …" → type "Công văn", subject "V/v …"; text without a known type name is all subject. */
export function splitTypeSubject(text: string): { type?: string; subject?: string } {
  const t = text.normalize("NFC").trim();
  for (const name of TYPE_NAMES) {
    if (
      t.length >= name.length &&
      t.slice(0, name.length).toLocaleLowerCase("vi") === name.toLocaleLowerCase("vi") &&
      (t.length === name.length || /[\s:,.\-–]/.test(t[name.length]!))
    ) {
      const subject = t
        .slice(name.length)
        .replace(/^[\s:,.\-–]+/, "")
        .trim();
      return { type: name, ...(subject ? { subject } : {}) };
    }
  }
  return t ? { subject: t } : {};
}

/** dd/MM/yyyy (also d/M/yyyy, dd-MM-yyyy, dd.MM.yyyy and YYYY-MM-DD) → YYYY-MM-DD, or null. */
export function registerDate(v: string): string | null {
  const s = v.trim();
  let d: string | null = null;
  let m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:\s.*)?$/.exec(s);
  if (m) d = `${m[3]}-${m[2]!.padStart(2, "0")}-${m[1]!.padStart(2, "0")}`;
  else if ((m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s))) d = s;
  return d && isCalendarDay(d) ? d : null;
}

const CLASSIFICATION: Record<string, DocumentMeta["classification"]> = {
  "": "none",
  thuong: "none",
  khong: "none",
  mat: "mat",
  "toi mat": "toi-mat",
  "tuyet mat": "tuyet-mat",
};

/** Filing notes of a "Nơi nhận" cell that name no agency (Lưu: VT, Như trên, Như Điều 3). */
const NOT_AN_AGENCY = /^(luu|nhu tren|nhu dieu|nhu khoan|nhu kinh gui|ban luu|cac thanh vien|cac don vi)/;

export function layoutOf(header: string[]): RegisterLayout {
  const keys = new Set(header.map(headerKey));
  if (keys.has("sender")) return "kyso";
  if (keys.has("ngay den") || keys.has("so den") || keys.has("tac gia") || keys.has("co quan ban hanh") || keys.has("ngay nhan") || keys.has("so cv den"))
    return "incoming";
  if (keys.has("noi nhan van ban") || keys.has("nguoi ky") || keys.has("so ky hieu van ban") || keys.has("noi nhan")) return "outgoing";
  throw new RegisterError(
    `the register's columns are neither kyso's (sender, number, issuedDate, …) nor those of Nghị định 30 Phụ lục IV (incoming: Ngày đến, Số đến, Tác giả, Số ký hiệu, Ngày tháng, Tên loại và trích yếu nội dung; outgoing: Số ký hiệu văn bản, Ngày tháng văn bản, Tên loại và trích yếu nội dung, Người ký, Nơi nhận văn bản): ${header.join(", ")}`,
  );
}

/**
 * Reads a register. `owner` is the agency that keeps it (needed for Phụ lục IV layouts: the recipient of
 * an incoming register, the sender of an outgoing one). Throws RegisterError naming the row and column.
 */
export function parseRegister(text: string, opts: { owner?: string | null; directory: Directory; now: Date }): RegisterRow[] {
  const separator = sniffSeparator(text);
  const rows = csvObjects(text, separator);
  const header = Object.keys(rows.find((r): r is Extract<typeof r, { values: unknown }> => "values" in r)?.values ?? {});
  if (rows.length === 0) return [];
  return registerRowsOf(
    {
      header: header.length
        ? header
        : text
            .replace(/^\uFEFF/, "")
            .split(/\r?\n/, 1)[0]!
            .split(separator),
      rows,
      where: (line) => `row ${line}`,
    },
    opts,
  );
}

/** Reads a register's rows, whatever file they came from (CSV, a workbook's sheet). */
export function registerRowsOf(table: RegisterTable, opts: { owner?: string | null; directory: Directory; now: Date }): RegisterRow[] {
  const { header, rows, where } = table;
  if (rows.length === 0) return [];
  const layout = layoutOf(header);
  const dir = opts.directory;
  if (layout === "kyso") {
    return rows.map((r) => {
      if ("error" in r) throw new RegisterError(`${where(r.line)} ${r.error}`);
      try {
        return { line: r.line, layout, meta: parseMetadata(r.values, dir.resolve, opts.now), ...(r.values.file ? { file: r.values.file } : {}) };
      } catch (e) {
        if (e instanceof MetadataError) throw new RegisterError(`${where(r.line)}: ${e.message}`);
        throw e;
      }
    });
  }
  const owner = opts.owner ? dir.resolve(opts.owner) : null;
  if (!opts.owner) throw new RegisterError("a Nghị định 30 register needs the agency that keeps it (--register-owner CODE, or the `owner` field)");
  if (!owner) throw new RegisterError(`the register's owner '${opts.owner}' is not in the agency directory`);
  const byKey = new Map<Field, string>();
  for (const h of header) {
    const f = COLUMNS[headerKey(h)];
    if (f && !byKey.has(f)) byKey.set(f, h);
  }
  // number and notation in two columns stand for the số, ký hiệu; an incoming template without the
  // document's date matches by sender and number alone
  if (!byKey.has("number") && byKey.has("numberPart")) byKey.set("number", byKey.get("numberPart")!);
  const splitNumber = byKey.get("number") === byKey.get("numberPart") && byKey.has("notation");
  const need: Field[] = layout === "incoming" ? ["sender", "number"] : ["number", "issuedDate"];
  if (layout === "incoming" && !byKey.has("issuedDate") && !byKey.has("receivedDate")) need.push("issuedDate");
  const missing = need.filter((f) => !byKey.has(f));
  if (missing.length) throw new RegisterError(`the ${layout} register has no column for ${missing.join(", ")} (columns: ${header.join(", ")})`);
  return rows.map((r) => {
    if ("error" in r) throw new RegisterError(`${where(r.line)} ${r.error}`);
    const get = (f: Field): string => (byKey.has(f) ? (r.values[byKey.get(f)!] ?? "").trim() : "");
    const fail = (f: Field, msg: string): never => {
      throw new RegisterError(`${where(r.line)}, column "${byKey.get(f) ?? f}": ${msg}`);
    };
    const agency = (f: Field, text: string): string => {
      const found = dir.resolveName(text);
      if (found && "ambiguous" in found) fail(f, `'${text}' names several agencies of the directory (${found.ambiguous.join(", ")}): write the code`);
      return found && "code" in found ? found.code : text;
    };
    const issuedDate = byKey.has("issuedDate") ? registerDate(get("issuedDate")) : null;
    if (byKey.has("issuedDate") && !issuedDate)
      fail("issuedDate", get("issuedDate") ? `'${get("issuedDate")}' is not a date (dd/MM/yyyy)` : "the date is empty");
    const number = splitNumber ? [get("numberPart"), get("notation")].filter(Boolean).join("/") : get("number");
    if (!number) fail("number", "the số, ký hiệu is empty");
    const formText = headerKey(get("form"));
    const form = formText
      ? (FORMS[formText] ?? fail("form", `'${get("form")}' is neither paper (0, giấy), electronic (1, điện tử) nor both (2, cả hai)`))
      : undefined;
    let receivedDate: string | undefined;
    if (get("receivedDate")) receivedDate = registerDate(get("receivedDate")) ?? fail("receivedDate", `'${get("receivedDate")}' is not a date (dd/MM/yyyy)`);
    const split = splitTypeSubject(get("typeSubject"));
    const classification =
      CLASSIFICATION[headerKey(get("classification"))] ??
      fail("classification", `'${get("classification")}' is not a độ mật (Mật, Tối mật, Tuyệt mật, or empty)`);
    let sender: string;
    let recipients: string[];
    if (layout === "incoming") {
      if (!get("sender")) fail("sender", "the Tác giả (sending agency) is empty");
      sender = agency("sender", get("sender"));
      recipients = [owner];
    } else {
      sender = owner;
      // lines or `;` first: a filing note ("Lưu: VT, PC") goes whole, commas and all; then commas
      recipients = [
        ...new Set(
          get("recipients")
            .split(/[;\n]/)
            .map((x) => x.replace(/^[\s\-–+•]+/, "").trim())
            .filter((x) => x && !NOT_AN_AGENCY.test(headerKey(x)))
            .flatMap((x) =>
              x
                .split(/,(?![^()]*\))/)
                .map((y) => y.trim())
                .filter(Boolean),
            )
            .map((x) => agency("recipients", x)),
        ),
      ];
    }
    const type = get("type") || split.type;
    const meta: DocumentMeta = {
      sender,
      recipients,
      number,
      ...(issuedDate ? { issuedDate } : {}),
      ...(type ? { type } : {}),
      ...(split.subject ? { subject: split.subject } : {}),
      classification,
      ...(get("urgency") ? { urgency: get("urgency") } : {}),
      receivedAt: receivedDate ? new Date(`${receivedDate}T00:00:00+07:00`).toISOString() : opts.now.toISOString(),
      channel: "paper",
    };
    return { line: r.line, layout, meta, ...(receivedDate ? { receivedDate } : {}), ...(form ? { form } : {}) };
  });
}
