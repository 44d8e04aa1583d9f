/** Fastify-style path patterns (`/products/:id/barcodes/:code`): building and matching concrete paths. */

const segments = (path: string) => path.split('/').slice(1);

/** Fills a pattern's parameters, each URI-encoded: `/barcodes/:code` with `a/b` → `/barcodes/a%2Fb`. */
export function buildPath(pattern: string, params: Record<string, unknown> = {}): string {
  return pattern.replace(/:([A-Za-z0-9_]+)/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined || value === null || value === '') {
      throw new Error(`${pattern}: missing path parameter ${name}`);
    }
    return encodeURIComponent(String(value));
  });
}

/**
 * The parameters of `path` (no query string) when it matches `pattern`, decoded; otherwise undefined.
 * Matches as Fastify routes do for these patterns: same number of segments, literals equal.
 */
export function matchPath(pattern: string, path: string): Record<string, string> | undefined {
  const want = segments(pattern);
  const got = segments(path);
  if (want.length !== got.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const w = want[i]!;
    const g = got[i]!;
    if (w.startsWith(':')) {
      if (g === '') return undefined;
      params[w.slice(1)] = safeDecode(g);
    } else if (w !== g) {
      return undefined;
    }
  }
  return params;
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
