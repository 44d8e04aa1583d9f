import { describe, expect, it } from 'vitest';
import { escapeHtml, renderHtml } from './html.js';
import { buildReceipt } from './model.js';
import type { ReceiptSale } from './sale.js';
import { goldenCases, partialRefund, plainSale } from './test/fixtures.js';

const hostile: ReceiptSale = {
  ...plainSale,
  store: { name: 'Bob\'s "Best" <b>Shop</b> & Co', addressLines: ['<img src=x onerror=alert(1)>'] },
  lines: [
    { ...plainSale.lines[0]!, name: '<script>alert("pwned")</script>' },
    { ...plainSale.lines[1]!, name: 'Fish & Chips "large" \'n\' <more>' },
    { ...plainSale.lines[2]!, name: '"><iframe src="https://evil.example/"></iframe>' },
  ],
  footerLines: ['</p><a href="http://phish.example">win</a>'],
  code: { symbology: 'qr', value: 'S1-000123' },
};

describe('renderHtml', () => {
  it('escapes &, <, >, quotes and apostrophes', () => {
    expect(escapeHtml(`<a href="x">Tom's & Jerry's</a>`)).toBe(
      '&lt;a href=&quot;x&quot;&gt;Tom&#39;s &amp; Jerry&#39;s&lt;/a&gt;',
    );
  });

  it('escapes hostile product names, store names and footers', () => {
    const html = renderHtml(buildReceipt(hostile));
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<iframe');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<a ');
    expect(html).not.toContain('<b>');
    expect(html).toContain('&lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt;');
    expect(html).toContain('Fish &amp; Chips &quot;large&quot; &#39;n&#39; &lt;more&gt;');
    expect(html).toContain('Bob&#39;s &quot;Best&quot; &lt;b&gt;Shop&lt;/b&gt; &amp; Co');
    // Every ampersand left starts an entity.
    expect(html.match(/&(?!amp;|lt;|gt;|quot;|#39;)/g)).toBeNull();
  });

  const external = /https?:\/\/|\/\/[a-z]|<link|<script|<iframe|<img|\ssrc=|\shref=|url\(|@import/i;

  it('is a complete document with no external resource or URL', () => {
    for (const sale of Object.values(goldenCases)) {
      const html = renderHtml(buildReceipt(sale));
      expect(html.startsWith('<!DOCTYPE html>\n<html lang="')).toBe(true);
      expect(html.endsWith('</body>\n</html>\n')).toBe(true);
      expect(html).toContain('<meta charset="utf-8">');
      expect(html).not.toMatch(external);
    }
  });

  it('leaves URLs in hostile text as text: no tag refers to anything outside', () => {
    const html = renderHtml(buildReceipt(hostile));
    expect(html).toContain('https://evil.example/');
    const tags = html.match(/<[^>]*>/g) ?? [];
    expect(tags.length).toBeGreaterThan(20);
    for (const tag of tags) expect(tag).not.toMatch(external);
  });

  it('draws the QR code as inline SVG, and marks refunds', () => {
    const html = renderHtml(buildReceipt(partialRefund));
    expect(html).toContain('<svg width=');
    expect(html).toMatch(/<path d="(M\d+ \d+h1v1h-1z)+" fill="#000"\/><\/svg>/);
    expect(html).toContain('>REFUND</p>');
    expect(html).toContain('<html lang="ja-JP">');
    expect(renderHtml(buildReceipt(plainSale))).not.toContain('<svg');
  });

  it('shows every line, total and tender', () => {
    const html = renderHtml(buildReceipt(plainSale));
    for (const text of [
      'Coffee beans 1 lb',
      '$12.99',
      '1.250 kg x $1.29',
      'Sales tax 6.25%',
      'Visa **** 4242',
      '$22.93',
    ]) {
      expect(html).toContain(`>${text}<`);
    }
  });
});
