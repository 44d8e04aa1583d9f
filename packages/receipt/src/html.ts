import type { ReceiptModel, ReceiptRow } from './model.js';
import type { ZReportModel } from './z-report-model.js';
import { qrSvg } from './qr-svg.js';

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

// Styles sit on the elements themselves: many mail clients drop <style> blocks and all drop external sheets.
const BODY =
  'margin:0;padding:16px;background:#ffffff;color:#111111;font-family:Menlo,Consolas,monospace;font-size:14px;';
const PAPER = 'max-width:380px;margin:0 auto;';
const TABLE = 'width:100%;border-collapse:collapse;';
const LEFT = 'text-align:left;padding:2px 0;vertical-align:top;';
const RIGHT = 'text-align:right;padding:2px 0 2px 8px;vertical-align:top;white-space:nowrap;';
const SUB = 'text-align:left;padding:0 0 2px 16px;color:#555555;font-size:12px;';
const RULE = 'border:0;border-top:1px dashed #999999;margin:8px 0;';
const CENTER = 'text-align:center;margin:2px 0;';
const MARK =
  'text-align:center;margin:8px 0;padding:4px;border:2px solid #111111;font-weight:bold;letter-spacing:2px;';

function row(left: string, right: string, bold = false): string {
  const weight = bold ? 'font-weight:bold;' : '';
  return `<tr><td style="${LEFT}${weight}">${escapeHtml(left)}</td><td style="${RIGHT}${weight}">${escapeHtml(right)}</td></tr>`;
}

function subRow(text: string, right = ''): string {
  return `<tr><td style="${SUB}">${escapeHtml(text)}</td><td style="${RIGHT}">${escapeHtml(right)}</td></tr>`;
}

function table(rows: string[]): string {
  return rows.length === 0
    ? ''
    : `<table role="presentation" style="${TABLE}">${rows.join('')}</table><hr style="${RULE}">`;
}

function metaRows(meta: ReceiptRow[]): string[] {
  return meta.map((item) => row(item.label, item.value));
}

/**
 * A complete HTML document, printable and suitable as the body of an emailed receipt: inline styles, no
 * external resources, every text escaped. A QR code is drawn as inline SVG; a CODE128 barcode is shown as
 * its text.
 */
export function renderHtml(model: ReceiptModel): string {
  const header = headerHtml(model);

  const lines = model.lines.flatMap((line) => [
    row(line.name, line.total),
    ...(line.detail ? [subRow(line.detail)] : []),
    ...(line.sku ? [subRow(line.sku)] : []),
    ...(line.discount ? [subRow(line.discount.label, line.discount.value)] : []),
  ]);
  const totals = model.totals.map((total, i) => row(total.label, total.value, i === model.totals.length - 1));
  const taxes = model.taxes.flatMap((tax) => [row(tax.label, tax.tax), subRow(tax.detail)]);
  const tenders = [
    ...model.tenders.flatMap((tender) => [
      row(tender.row.label, tender.row.value),
      ...(tender.rounding ? [subRow(tender.rounding.label, tender.rounding.value)] : []),
    ]),
    ...(model.change ? [row(model.change.label, model.change.value, true)] : []),
  ];
  const footer = model.footer.map((line) => `<p style="${CENTER}">${escapeHtml(line)}</p>`);
  const code = !model.code
    ? ''
    : model.code.symbology === 'qr'
      ? `<div style="${CENTER}margin-top:12px;">${qrSvg(model.code.value)}</div>`
      : `<p style="${CENTER}margin-top:12px;letter-spacing:1px;">${escapeHtml(model.code.value)}</p>`;

  const receiptNumber = model.meta[0]?.value ?? '';
  return page(model.locale, `${model.storeName} ${receiptNumber}`, [
    ...header,
    `<hr style="${RULE}">`,
    table(metaRows(model.meta)),
    table(lines),
    table(totals),
    table(taxes),
    table(tenders),
    ...footer,
    code,
  ]);
}

/** A Z report as a complete HTML document, built like a receipt's: each section a table under its title. */
export function renderZReportHtml(model: ZReportModel): string {
  const sections = model.sections.map((section) =>
    table([
      `<tr><td colspan="2" style="${LEFT}font-weight:bold;">${escapeHtml(section.title)}</td></tr>`,
      ...section.rows.map((r) => (r.value === '' ? subRow(r.label.trim()) : row(r.label, r.value, r.bold))),
    ]),
  );
  const footer = model.footer.map((line) => `<p style="${CENTER}">${escapeHtml(line)}</p>`);
  const zNumber = model.meta[0]?.value ?? '';
  return page(model.locale, `${model.storeName} ${model.mark} ${zNumber}`, [
    ...headerHtml(model),
    `<hr style="${RULE}">`,
    table(metaRows(model.meta)),
    ...sections,
    ...footer,
  ]);
}

function headerHtml(model: {
  storeName: string;
  addressLines: string[];
  taxId: string | null;
  mark: string | null;
}): string[] {
  return [
    `<h1 style="${CENTER}font-size:18px;">${escapeHtml(model.storeName)}</h1>`,
    ...model.addressLines.map((line) => `<p style="${CENTER}">${escapeHtml(line)}</p>`),
    ...(model.taxId ? [`<p style="${CENTER}">${escapeHtml(model.taxId)}</p>`] : []),
    ...(model.mark ? [`<p style="${MARK}">${escapeHtml(model.mark)}</p>`] : []),
  ];
}

function page(locale: string, title: string, body: string[]): string {
  return [
    '<!DOCTYPE html>',
    `<html lang="${escapeHtml(locale)}">`,
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title>`,
    '</head>',
    `<body style="${BODY}">`,
    `<div style="${PAPER}">`,
    ...body,
    '</div>',
    '</body>',
    '</html>',
    '',
  ]
    .filter((part) => part !== '')
    .join('\n')
    .concat('\n');
}
