import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { renderEscPos, renderZReportEscPos } from './escpos.js';
import { buildReceipt } from './model.js';
import { goldenCases } from './test/fixtures.js';
import { renderText, renderZReportText } from './text.js';
import { zReportGoldenCases } from './test/z-report-fixtures.js';
import { buildZReport } from './z-report-model.js';

// Regenerate on purpose with: UPDATE_GOLDEN=1 npx vitest run --project unit packages/receipt
// eslint-disable-next-line no-restricted-properties -- specs may read the environment (see README)
const update = process.env.UPDATE_GOLDEN === '1';
const dir = fileURLToPath(new URL('./__golden__/', import.meta.url));

/** Bytes as lowercase hex, 32 bytes a line, so a diff points at the place that changed. */
function toHexLines(bytes: Uint8Array): string {
  const hex = Buffer.from(bytes).toString('hex');
  return (hex.match(/.{1,64}/g) ?? []).join('\n') + '\n';
}

function golden(name: string, actual: string): void {
  const path = `${dir}${name}`;
  if (update) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(path, actual, 'utf8');
  }
  expect(existsSync(path), `missing golden ${name}; run with UPDATE_GOLDEN=1`).toBe(true);
  expect(actual).toBe(readFileSync(path, 'utf8'));
}

describe('golden receipts', () => {
  for (const [name, sale] of Object.entries(goldenCases)) {
    for (const columns of [32, 48] as const) {
      it(`${name} at ${columns} columns: text`, () => {
        golden(`${name}.${columns}.txt`, renderText(buildReceipt(sale), { columns }));
      });
      it(`${name} at ${columns} columns: ESC/POS bytes`, () => {
        const bytes = renderEscPos(buildReceipt(sale), {
          columns,
          openDrawer: sale.tenders.some((t) => t.kind === 'cash'),
        });
        golden(`${name}.${columns}.escpos.hex`, toHexLines(bytes));
      });
    }
  }
});

describe('golden Z reports', () => {
  for (const [name, z] of Object.entries(zReportGoldenCases)) {
    for (const columns of [32, 48] as const) {
      it(`${name} at ${columns} columns: text`, () => {
        golden(`${name}.${columns}.txt`, renderZReportText(buildZReport(z), { columns }));
      });
      it(`${name} at ${columns} columns: ESC/POS bytes`, () => {
        golden(
          `${name}.${columns}.escpos.hex`,
          toHexLines(renderZReportEscPos(buildZReport(z), { columns })),
        );
      });
    }
  }
});
