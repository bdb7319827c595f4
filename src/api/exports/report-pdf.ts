// Leadership's report as a PDF to print for a meeting (pdf-lib, with a Unicode font embedded as a subset
// so Vietnamese prints anywhere): the headline (rate, target, gap, change against the period before),
// twelve months as a bar chart with axis, values and a labelled target line, the province's reasons,
// every agency ranked with its rate, gap, the share it sealed itself and main reason, and the validly
// signed documents their sender did not seal with who did (issue 24). A4, in Vietnamese.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import fontkit from "@pdf-lib/fontkit";
import { PDFDocument, type PDFFont, type PDFPage, rgb } from "pdf-lib";
import type { LeadershipReport } from "../../store/read-model/leadership.js";
import { REASONS } from "../../store/read-model/leadership.js";
import { ENGINE_VERSION } from "../../version.js";
import { CATEGORY_SHORT as CATEGORIES, fillIn, nextStepVi, SEALED, sealerText, word } from "../report-words.js";
import { conventionVi, day, int, moment, month, pct, points } from "./format.js";

/** Where the font is looked for: KYSO_FONT (a TrueType file), else Debian's fonts-dejavu-core. */
const DEFAULT_FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";

export class NoFontError extends Error {}

function fontFiles(chosen: string | undefined): { regular: Uint8Array; bold: Uint8Array } {
  const path = chosen ?? DEFAULT_FONT;
  if (!existsSync(path))
    throw new NoFontError(`the PDF report needs a Unicode TrueType font: ${path} is missing (install fonts-dejavu-core, or set KYSO_FONT to a .ttf file)`);
  const bold = join(dirname(path), "DejaVuSans-Bold.ttf");
  const regular = readFileSync(path);
  return { regular, bold: !chosen && existsSync(bold) ? readFileSync(bold) : regular };
}

const A4: [number, number] = [595.28, 841.89];
const MARGIN = 48;
const INK = rgb(0.13, 0.13, 0.13);
const GREY = rgb(0.45, 0.45, 0.45);
const BAR = rgb(0.2, 0.42, 0.69);
const BELOW = rgb(0.8, 0.33, 0.2);
const TARGET = rgb(0.1, 0.55, 0.25);

/** Lines of at most `width` points (words kept whole; a word longer than a line is cut). */
function wrap(text: string, font: PDFFont, size: number, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const w of text.split(/\s+/).filter(Boolean)) {
    const next = line ? `${line} ${w}` : w;
    if (font.widthOfTextAtSize(next, size) <= width) line = next;
    else {
      if (line) lines.push(line);
      line = w;
      while (font.widthOfTextAtSize(line, size) > width && line.length > 1) {
        let cut = line.length - 1;
        while (cut > 1 && font.widthOfTextAtSize(line.slice(0, cut), size) > width) cut--;
        lines.push(line.slice(0, cut));
        line = line.slice(cut);
      }
    }
  }
  if (line) lines.push(line);
  return lines.length ? lines : [""];
}

class Writer {
  page: PDFPage;
  y: number;

  constructor(
    private readonly doc: PDFDocument,
    readonly font: PDFFont,
    readonly bold: PDFFont,
  ) {
    this.page = doc.addPage(A4);
    this.y = A4[1] - MARGIN;
  }

  /** Room for `h` points on this page, or a new page. */
  room(h: number): void {
    if (this.y - h < MARGIN) this.newPage();
  }

  newPage(): void {
    this.page = this.doc.addPage(A4);
    this.y = A4[1] - MARGIN;
  }

  text(s: string, o: { size?: number; bold?: boolean; x?: number; color?: ReturnType<typeof rgb>; width?: number } = {}): void {
    const size = o.size ?? 10;
    const f = o.bold ? this.bold : this.font;
    for (const line of wrap(s, f, size, o.width ?? A4[0] - 2 * MARGIN - (o.x ?? 0))) {
      this.room(size * 1.4);
      this.y -= size * 1.4;
      this.page.drawText(line, { x: MARGIN + (o.x ?? 0), y: this.y, size, font: f, color: o.color ?? INK });
    }
  }

  gap(h: number): void {
    this.y -= h;
  }
}

function chart(w: Writer, r: LeadershipReport): void {
  const height = 170;
  const left = MARGIN + 34;
  const width = A4[0] - MARGIN - left;
  w.room(height + 50);
  const top = w.y - 10;
  const bottom = top - height;
  const p = w.page;
  const f = w.font;
  // the axis: 0 to 100 %, a tick every 25
  for (let v = 0; v <= 100; v += 25) {
    const y = bottom + (v / 100) * height;
    p.drawLine({ start: { x: left, y }, end: { x: left + width, y }, thickness: 0.3, color: rgb(0.85, 0.85, 0.85) });
    p.drawText(`${v}%`, { x: left - 30, y: y - 3, size: 7, font: f, color: GREY });
  }
  p.drawLine({ start: { x: left, y: bottom }, end: { x: left, y: top }, thickness: 0.6, color: GREY });
  const slot = width / r.months.length;
  r.months.forEach((m, i) => {
    const x = left + i * slot + slot * 0.15;
    const bw = slot * 0.7;
    if (m.rate === null || m.denominator === 0) {
      p.drawText("không có", { x: x, y: bottom + 4, size: 6, font: f, color: GREY });
      p.drawText("văn bản", { x: x, y: bottom + 11, size: 6, font: f, color: GREY });
    } else {
      const h = m.rate * height;
      p.drawRectangle({ x, y: bottom, width: bw, height: Math.max(0.5, h), color: m.rate >= r.province.target ? BAR : BELOW });
      p.drawText(pct(m.rate), { x: x - 2, y: bottom + h + 3, size: 6.5, font: f, color: INK });
    }
    p.drawText(month(m.month), { x: x - 3, y: bottom - 11, size: 6.5, font: f, color: GREY });
  });
  const ty = bottom + r.province.target * height;
  p.drawLine({ start: { x: left, y: ty }, end: { x: left + width, y: ty }, thickness: 1.2, color: TARGET, dashArray: [4, 3] });
  p.drawText(`Mục tiêu ${pct(r.province.target)}`, { x: left + width - 70, y: ty + 3, size: 7.5, font: w.bold, color: TARGET });
  w.y = bottom - 18;
  w.text("Cột xanh: tháng đạt mục tiêu; cột cam: chưa đạt; tháng không có văn bản được ghi rõ.", { size: 7.5, color: GREY });
}

interface Col {
  title: string;
  x: number;
  w: number;
}

/** The agencies table's columns: each one's x and width. */
const COLS: Col[] = [
  { title: "Hạng", x: 0, w: 26 },
  { title: "Cơ quan", x: 28, w: 160 },
  { title: "Tỷ lệ", x: 192, w: 40 },
  { title: "Ký số / tổng", x: 236, w: 58 },
  { title: "Còn thiếu", x: 298, w: 40 },
  { title: word(SEALED, "column", "vi"), x: 342, w: 60 },
  { title: "Lý do chính", x: 406, w: 93 },
];

/** The list of documents their sender did not seal: number, date, sender, who sealed it. */
const SEAL_COLS: Col[] = [
  { title: word(SEALED, "number", "vi"), x: 0, w: 84 },
  { title: word(SEALED, "date", "vi"), x: 88, w: 48 },
  { title: word(SEALED, "sender", "vi"), x: 140, w: 170 },
  { title: word(SEALED, "sealedBy", "vi"), x: 314, w: 185 },
];

/** At most this many documents in the printed list; the workbook has them all. */
const SEAL_ROWS = 100;

function mainReason(byCategory: Record<string, number> | undefined): string {
  if (!byCategory) return "";
  const top = REASONS.map((c) => [c, byCategory[c] ?? 0] as const).sort((a, b) => b[1] - a[1])[0];
  return top && top[1] > 0 ? `${word(CATEGORIES, top[0], "vi")} (${int(top[1])})` : "";
}

/** A table of wrapped cells (headers too), its header repeated on each new page; `warn` colours a cell. */
function table(w: Writer, cols: Col[], rows: string[][], warn: (row: number, col: number) => boolean = () => false): void {
  const size = 8;
  const header = (): void => {
    const lines = cols.map((c) => wrap(c.title, w.bold, size, c.w));
    const h = Math.max(...lines.map((l) => l.length)) * size * 1.2;
    w.room(h + 20);
    lines.forEach((ls, i) =>
      ls.forEach((l, k) => w.page.drawText(l, { x: MARGIN + cols[i]!.x, y: w.y - size * 1.2 * (k + 1) - 2, size, font: w.bold, color: INK })),
    );
    w.y -= h + 6;
    w.page.drawLine({ start: { x: MARGIN, y: w.y }, end: { x: A4[0] - MARGIN, y: w.y }, thickness: 0.5, color: GREY });
  };
  header();
  rows.forEach((cells, r) => {
    const lines = cells.map((c, i) => wrap(c, w.font, size, cols[i]!.w));
    const h = Math.max(...lines.map((l) => l.length)) * size * 1.3 + 4;
    if (w.y - h < MARGIN) {
      w.newPage();
      header();
    }
    lines.forEach((ls, i) =>
      ls.forEach((l, k) => w.page.drawText(l, { x: MARGIN + cols[i]!.x, y: w.y - size * 1.3 * (k + 1), size, font: w.font, color: warn(r, i) ? BELOW : INK })),
    );
    w.y -= h;
  });
}

function agencyTable(w: Writer, r: LeadershipReport): void {
  const rows = r.agencies.map((a) => {
    const s = a.sealedBySender;
    return [
      a.rank === null ? "—" : String(a.rank),
      a.name,
      pct(a.rate),
      `${int(a.numerator)} / ${int(a.denominator)}`,
      a.denominator ? int(a.gap) : "—",
      s.signedValid ? `${pct(s.share)} (${int(s.bySender)}/${int(s.signedValid)})` : "—",
      a.denominator ? mainReason(a.byCategory) : "không có văn bản trong kỳ",
    ];
  });
  table(w, COLS, rows, (i, col) => col === 2 && r.agencies[i]!.rate !== null && r.agencies[i]!.rate! < r.province.target);
}

/** The documents their sender did not seal, with who did (the first SEAL_ROWS; the workbook has all). */
function notSealedTable(w: Writer, r: LeadershipReport): void {
  const list = r.notSealedBySender;
  if (!list.length) return w.text(word(SEALED, "none", "vi"));
  table(
    w,
    SEAL_COLS,
    list.slice(0, SEAL_ROWS).map((d) => [d.number ?? "—", day(d.date), d.senderName, sealerText(d, "vi")]),
  );
  if (list.length > SEAL_ROWS) w.text(fillIn(word(SEALED, "more", "vi"), { n: int(list.length - SEAL_ROWS) }), { size: 8, color: GREY });
}

/** `fontFile`: a TrueType file to embed (KYSO_FONT as the server read it), else DejaVu Sans. */
export async function leadershipPdf(r: LeadershipReport, fontFile: string | undefined = process.env.KYSO_FONT): Promise<Uint8Array<ArrayBuffer>> {
  const files = fontFiles(fontFile);
  const doc = await PDFDocument.create();
  doc.registerFontkit(fontkit);
  const font = await doc.embedFont(files.regular, { subset: true });
  const bold = files.bold === files.regular ? font : await doc.embedFont(files.bold, { subset: true });
  doc.setTitle(`Báo cáo tỷ lệ văn bản điện tử có chữ ký số, ${r.period.label}`);
  doc.setProducer(`kyso ${ENGINE_VERSION}`);
  doc.setCreationDate(new Date(r.generatedAt));
  const w = new Writer(doc, font, bold);
  const p = r.province;
  w.text("BÁO CÁO TỶ LỆ VĂN BẢN ĐIỆN TỬ CÓ CHỮ KÝ SỐ", { size: 15, bold: true });
  w.text(`Kỳ báo cáo: ${r.period.label} (từ ${day(r.period.from)} đến ${day(r.period.to)}), ${conventionVi(r.period.periods)}`, { size: 10, color: GREY });
  w.gap(8);
  w.text(`Tỷ lệ toàn tỉnh: ${pct(p.rate)} — mục tiêu ${pct(p.target)}`, { size: 13, bold: true });
  w.text(`Văn bản điện tử có chữ ký số hợp lệ: ${int(p.numerator)} trên ${int(p.denominator)} văn bản được tính.`);
  w.text(
    `${fillIn(word(SEALED, "headline", "vi"), { bySender: int(p.sealedBySender.bySender), signedValid: int(p.sealedBySender.signedValid), share: pct(p.sealedBySender.share) })}.`,
  );
  w.text(
    p.denominator === 0 ? "Không có văn bản nào trong kỳ." : p.gap > 0 ? `Còn thiếu ${int(p.gap)} văn bản ký số để đạt mục tiêu.` : "Đã đạt mục tiêu trong kỳ.",
  );
  const prev = r.previous;
  w.text(
    prev.rate === null || p.rate === null
      ? `Kỳ trước (${prev.period.label}): không có văn bản để so sánh.`
      : `So với ${prev.period.label} (${pct(prev.rate)}): ${points(p.rate - prev.rate)} phần trăm.`,
  );
  if (p.gap > 0 && p.trend.slopePerMonth !== null)
    w.text(
      p.trend.projectedMonth
        ? `Theo xu hướng hiện nay (${points(p.trend.slopePerMonth)} mỗi tháng), mục tiêu đạt được vào tháng ${month(p.trend.projectedMonth)}.`
        : `Theo xu hướng hiện nay (${points(p.trend.slopePerMonth)} mỗi tháng), mục tiêu không đạt được.`,
      { color: GREY },
    );
  if (r.next.length) {
    w.gap(10);
    w.text("Việc cần làm tiếp", { size: 11, bold: true });
    for (const step of r.next) w.text(`• ${nextStepVi(step)}`);
  }
  w.gap(10);
  w.text(
    r.period.periods === "nd09"
      ? "Tỷ lệ theo tháng báo cáo (12 tháng đến hết kỳ báo cáo; tháng MM/YYYY: từ ngày 15 tháng trước đến ngày 14)"
      : "Tỷ lệ theo tháng (12 tháng đến hết kỳ báo cáo)",
    { size: 11, bold: true },
  );
  chart(w, r);
  w.gap(10);
  w.text("Lý do văn bản chưa được tính là văn bản điện tử có chữ ký số", { size: 11, bold: true });
  if (r.reasons.length === 0) w.text("Không có.");
  for (const x of r.reasons)
    w.text(`• ${word(CATEGORIES, x.category, "vi")}: ${int(x.documents)} văn bản (${pct(p.denominator ? x.documents / p.denominator : null)})`);
  w.gap(10);
  w.text("Xếp hạng các cơ quan", { size: 11, bold: true });
  agencyTable(w, r);
  w.gap(10);
  w.text(word(SEALED, "listH", "vi"), { size: 11, bold: true });
  notSealedTable(w, r);
  w.gap(12);
  w.text(
    `Lập lúc ${moment(r.generatedAt)} bởi kyso ${ENGINE_VERSION}. Số liệu tính từ các kết quả kiểm tra đã ghi trong nhật ký; mỗi văn bản có báo cáo và hồ sơ chứng cứ riêng.`,
    { size: 7.5, color: GREY },
  );
  return new Uint8Array(await doc.save());
}
