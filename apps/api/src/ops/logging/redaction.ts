/**
 * Secret and personal fields blanked out of every log line. The same rules pino's `redact` option
 * applied with the paths `f`, `*.f`, `*.*.f`, `*.*.*.f` for each field f, plus `headers.authorization`
 * and `headers.cookie` (and, in an object interpolated into a message, `req.headers` and `res.headers`
 * secrets), written out as a plain walk: pino 10's redaction parsed all 66 paths on every line and every
 * child logger, tens to hundreds of µs each (most of a request's CPU in `npm run bench`).
 */
export const SECRET_FIELDS: ReadonlySet<string> = new Set([
  'password',
  'currentPassword',
  'newPassword',
  'passwordHash',
  'password_hash',
  'pin',
  'newPin',
  'pinHash',
  'pin_hash',
  'token',
  'accessToken',
  'refreshToken',
  'idToken',
  'secret',
  'email',
]);

/** Under a top-level `headers`, these too. */
const SECRET_HEADERS = ['authorization', 'cookie'];
/** Under `req.headers` and `res.headers` of an interpolated object (a logged `req` or `res` is serialized without headers). */
const SECRET_REQUEST_HEADERS = ['authorization', 'cookie', 'x-api-key'];
const SECRET_RESPONSE_HEADERS = ['set-cookie'];

export const REDACTED = '[redacted]';

/**
 * `value` with every own secret field replaced by REDACTED, in it and `levels` levels of objects and
 * arrays below it. Objects on the way are copied (same prototype, own enumerable properties), never
 * changed; values below the last level are shared. A secret field is redacted whatever it holds, even
 * undefined, as pino did.
 */
function redactTree(value: unknown, levels: number): unknown {
  if (value === null || typeof value !== 'object' || value instanceof Date) return value;
  if (Array.isArray(value)) {
    return levels > 0 ? value.map((item: unknown) => redactTree(item, levels - 1)) : value;
  }
  const source = value as Record<string, unknown>;
  const copy = Object.create(Object.getPrototypeOf(source) as object | null) as Record<string, unknown>;
  for (const key in source) {
    if (!Object.prototype.hasOwnProperty.call(source, key)) continue;
    copy[key] = SECRET_FIELDS.has(key)
      ? REDACTED
      : levels > 0
        ? redactTree(source[key], levels - 1)
        : source[key];
  }
  return copy;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Blanks the own `keys` of `obj`, a copy made by redactTree. */
function censorOwn(obj: unknown, keys: readonly string[]): void {
  if (!isRecord(obj)) return;
  for (const k of keys) if (Object.prototype.hasOwnProperty.call(obj, k)) obj[k] = REDACTED;
}

/**
 * The value of the top-level key `key` of a log line (or of a child logger's bindings), redacted: a
 * secret key is blanked whole; any other value is walked three levels down (`*.f`, `*.*.f`, `*.*.*.f`).
 */
export function redactEntry(key: string, value: unknown): unknown {
  if (SECRET_FIELDS.has(key)) return REDACTED;
  const redacted = redactTree(value, 2);
  if (key === 'headers') censorOwn(redacted, SECRET_HEADERS);
  return redacted;
}

/**
 * An object interpolated into a message (`log.info('%j', obj)`), redacted from its root as pino's
 * redact did: its own secret fields and those three levels down, whatever they hold, and the secret
 * headers under `headers`, `req.headers` and `res.headers`. Anything else is returned as it is.
 */
export function redactFormatArg(value: unknown): unknown {
  const redacted = redactTree(value, 3);
  if (isRecord(redacted)) {
    censorOwn(redacted.headers, SECRET_HEADERS);
    if (isRecord(redacted.req)) censorOwn(redacted.req.headers, SECRET_REQUEST_HEADERS);
    if (isRecord(redacted.res)) censorOwn(redacted.res.headers, SECRET_RESPONSE_HEADERS);
  }
  return redacted;
}

/**
 * A log line's object (or a child logger's bindings) with every entry redacted, keys in their order.
 * Entries pino leaves out (undefined, functions) are left as they are, and so are those under `skip`:
 * the keys whose serializer redacts what it returns (the raw value, an Error say, is not walked).
 */
export function redactObject(
  obj: Record<string, unknown>,
  skip: ReadonlySet<string>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key in obj) {
    if (!Object.prototype.hasOwnProperty.call(obj, key)) continue;
    const value = obj[key];
    out[key] =
      value === undefined || typeof value === 'function' || skip.has(key) ? value : redactEntry(key, value);
  }
  return out;
}
