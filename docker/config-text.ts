// Edits the infra tests make to a shipped config file before starting a server with it (ports, paths, hosts).
// Each insists on finding what it replaces exactly as often as expected, so config drift fails loudly.

/** Replaces `from` by `to`, insisting it occurs exactly `count` times. */
export function swap(text: string, from: string, to: string, count = 1): string {
  const found = text.split(from).length - 1;
  if (found !== count) throw new Error(`expected ${count} × ${JSON.stringify(from)}, found ${found}`);
  return text.split(from).join(to);
}

/** Replaces the one line matching `re` (a single-line pattern, anchored with ^ and $) by `line`. */
export function replaceOne(text: string, re: RegExp, line: string, what: string): string {
  const found = text.match(new RegExp(re.source, 'gm'))?.length ?? 0;
  if (found !== 1) throw new Error(`${what}: expected one line matching ${re}, found ${found}`);
  return text.replace(new RegExp(re.source, 'm'), line);
}
