/** One CSV field (RFC 4180): quoted when it holds a comma, a quote or a line break, quotes doubled. */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One CSV record, CRLF-terminated, of `row`'s values in the order of `columns`. */
export function csvRecord(columns: readonly string[], row: Record<string, unknown>): string {
  return `${columns.map((c) => csvField(row[c])).join(',')}\r\n`;
}

export const csvHeader = (columns: readonly string[]): string => `${columns.map(csvField).join(',')}\r\n`;
