// Plain-text tables for the terminal: columns padded to their widest cell, numbers right-aligned.

const numeric = (cell: string) => /^[-+]?[\d.,]+( \S+)?$/.test(cell);

export function textTable(rows: string[][], { indent = '  ', alignNumbers = true } = {}): string {
  const widths = rows.reduce<number[]>(
    (w, row) => row.map((cell, i) => Math.max(w[i] ?? 0, cell.length)),
    [],
  );
  return rows
    .map((row, r) =>
      row
        .map((cell, i) => {
          const right = alignNumbers && r > 0 && i > 0 && numeric(cell);
          if (i === row.length - 1 && !right) return cell;
          return right ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!);
        })
        .join('  ')
        .trimEnd(),
    )
    .map((line) => indent + line)
    .join('\n');
}
