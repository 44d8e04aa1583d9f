import type { ReportQuery } from '@zakpos/contracts';
import { describe, expect, it } from 'vitest';
import { csvField, csvHeader, csvRecord } from './report-csv.js';
import { wantsCsv } from './reports.controller.js';

describe('CSV (RFC 4180)', () => {
  it('quotes a field holding a comma, a quote or a line break, doubling the quotes', () => {
    expect(csvField('Widget, "Deluxe"')).toBe('"Widget, ""Deluxe"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('cr\r')).toBe('"cr\r"');
    expect(csvField('plain')).toBe('plain');
    expect(csvField(-120)).toBe('-120');
    expect(csvField(null)).toBe('');
  });

  it('writes CRLF-terminated records in the order of the columns', () => {
    expect(csvHeader(['a', 'b'])).toBe('a,b\r\n');
    expect(csvRecord(['b', 'a'], { a: 1, b: 'x,y' })).toBe('"x,y",1\r\n');
  });
});

describe('wantsCsv', () => {
  const q = (format?: 'json' | 'csv') => ({ from: '2026-03-01', to: '2026-03-01', format }) as ReportQuery;
  it('follows format first, then whichever of CSV and JSON Accept names first', () => {
    expect(wantsCsv(q('csv'), 'application/json')).toBe(true);
    expect(wantsCsv(q('json'), 'text/csv')).toBe(false);
    expect(wantsCsv(q(), 'text/csv')).toBe(true);
    expect(wantsCsv(q(), 'text/csv;q=0.9, application/json')).toBe(true);
    expect(wantsCsv(q(), 'application/json, text/csv')).toBe(false);
    expect(wantsCsv(q(), '*/*')).toBe(false);
    expect(wantsCsv(q(), undefined)).toBe(false);
  });
});
