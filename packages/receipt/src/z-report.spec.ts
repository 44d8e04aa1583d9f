import { describe, expect, it } from 'vitest';
import { ReceiptError } from './errors.js';
import { renderZReportEscPos } from './escpos.js';
import { renderZReportHtml } from './html.js';
import { emptyShift, shortDay, zReportGoldenCases } from './test/z-report-fixtures.js';
import { renderZReportText } from './text.js';
import { displayWidth } from './width.js';
import type { ZReport } from './z-report.js';
import { buildZReport } from './z-report-model.js';

const lines = (text: string) => text.slice(0, -1).split('\n');
// Intl separates the currency with a no-break space.
const spaced = (text: string) => text.replace(/[\u00a0\u202f]/g, ' ');

function rejection(z: ZReport): { code: string; field: string } {
  try {
    buildZReport(z);
  } catch (error) {
    if (error instanceof ReceiptError) return { code: error.code, field: error.field };
    throw error;
  }
  throw new Error('expected the Z report to be rejected');
}

describe('Z report', () => {
  for (const [name, z] of Object.entries(zReportGoldenCases)) {
    for (const columns of [32, 48] as const) {
      it(`${name}: every text line fits ${columns} columns, no trailing spaces`, () => {
        for (const line of lines(renderZReportText(buildZReport(z), { columns }))) {
          expect(displayWidth(line), line).toBeLessThanOrEqual(columns);
          expect(line).toBe(line.trimEnd());
        }
      });
    }
  }

  it('prints the header, every section in order and the figures as recorded', () => {
    const text = lines(spaced(renderZReportText(buildZReport(shortDay), { columns: 48 })));
    expect(text).toContain('                *** Z REPORT ***');
    const titles = [
      'Sales',
      'Tenders',
      'Taxes',
      'Refunds',
      'Refunds by tender',
      'Tax refunded',
      'Voids',
      'Cash movements',
      'Cash drawer',
    ];
    const at = titles.map((t) => text.indexOf(t));
    expect(at.every((i) => i > 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    const row = (label: string, value: string) =>
      `${label}${' '.repeat(48 - label.length - value.length)}${value}`;
    expect(text).toContain(row('Z number', '42'));
    expect(text).toContain(row('Opened', '22.11.2026, 08:00'));
    expect(text).toContain(row('Gift voucher (1)', 'CHF 50.00'));
    expect(text).toContain(row('  bank_deposit (1)', 'CHF-100.00'));
    expect(text).toContain(row('Expected', 'CHF 324.97'));
    expect(text).toContain(row('Over (+) / short (-)', 'CHF-0.50'));
  });

  it('says "none" for empty tenders and taxes, and "not counted" without an over/short', () => {
    const text = renderZReportText(buildZReport(emptyShift), { columns: 32 });
    expect(text).toContain('Tenders\nnone\n');
    expect(text).toContain('Taxes\nnone\n');
    expect(text).toMatch(/Counted +not counted/);
    expect(text).not.toContain('Over');
    expect(text).not.toContain('Refunds by tender');
  });

  it('prints an over with its plus sign', () => {
    const over = { ...shortDay, cash: { ...shortDay.cash, counted: 32517, overShort: 20 } };
    expect(spaced(renderZReportText(buildZReport(over), { columns: 48 }))).toMatch(
      /Over \(\+\) \/ short \(-\) +CHF\+0\.20/,
    );
  });

  it('takes labels in the tenant language', () => {
    const model = buildZReport(shortDay, { labels: { mark: 'Z-BERICHT', tenderKinds: { cash: 'Bar' } } });
    const text = renderZReportText(model, { columns: 48 });
    expect(text).toContain('*** Z-BERICHT ***');
    expect(text).toContain('Bar (7)');
  });

  it('ESC/POS: initialises, prints in windows-1252 and cuts once, no drawer kick unless asked', () => {
    const bytes = renderZReportEscPos(buildZReport(shortDay), { columns: 48 });
    expect([...bytes.slice(0, 2)]).toEqual([0x1b, 0x40]);
    const hex = Buffer.from(bytes).toString('hex');
    expect(hex.split('1d5601').length - 1).toBe(1);
    expect(hex).not.toContain('1b70');
    // "Zürich" in windows-1252: ü is 0xfc.
    expect(hex).toContain(Buffer.from('Z\u00fcrich', 'latin1').toString('hex'));
    const kicked = renderZReportEscPos(buildZReport(shortDay), { columns: 48, openDrawer: true });
    expect(Buffer.from(kicked).toString('hex')).toContain('1b70');
  });

  it('HTML: a complete document with every section, text escaped', () => {
    const z = { ...shortDay, store: { ...shortDay.store, name: 'Bread & <Butter>' } };
    const html = spaced(renderZReportHtml(buildZReport(z)));
    expect(html.startsWith('<!DOCTYPE html>\n<html lang="de-CH">')).toBe(true);
    expect(html).toContain('<title>Bread &amp; &lt;Butter&gt; Z REPORT 42</title>');
    expect(html).not.toContain('<Butter>');
    for (const title of ['Sales', 'Tenders', 'Cash drawer']) expect(html).toContain(`>${title}</td>`);
    expect(html).toContain('CHF 324.97');
  });

  it.each<[string, ZReport, string, string]>([
    [
      'a negative sales count',
      { ...shortDay, sales: { ...shortDay.sales, count: -1 } },
      'NEGATIVE_AMOUNT',
      'sales.count',
    ],
    ['a float amount', { ...shortDay, voids: { count: 1, gross: 1.5 } }, 'INVALID_INTEGER', 'voids.gross'],
    ['an unknown currency', { ...shortDay, currency: 'XXY' }, 'INVALID_CURRENCY', 'currency'],
    ['a local closing time', { ...shortDay, closedAt: '2026-11-22T17:45:00' }, 'INVALID_INSTANT', 'closedAt'],
    [
      'an empty movement reason',
      {
        ...shortDay,
        cashMovements: {
          ...shortDay.cashMovements,
          byReason: [{ kind: 'cash_in', reason: ' ', count: 1, amount: 1 }],
        },
      },
      'EMPTY_TEXT',
      'cashMovements.byReason[0].reason',
    ],
  ])('rejects %s', (_name, z, code, field) => {
    expect(rejection(z)).toEqual({ code, field });
  });

  it('accepts a negative expected cash and a signed rounding', () => {
    const z = {
      ...shortDay,
      sales: { ...shortDay.sales, cashRounding: 2 },
      cash: { ...shortDay.cash, expected: -500, counted: 0, overShort: 500 },
    };
    expect(spaced(renderZReportText(buildZReport(z), { columns: 32 }))).toContain('CHF-5.00');
  });
});
