import { z } from 'zod';

export const NUL_MESSAGE = 'must not contain NUL (U+0000)';
// eslint-disable-next-line no-control-regex -- the one character PostgreSQL text refuses
const NO_NUL = /^[^\u0000]*$/;

/**
 * Every string a contract accepts starts here: PostgreSQL text cannot hold U+0000 (22021). The API
 * also refuses NUL in any request input (apps/api/src/common/http/nul-input.ts); this says so to clients.
 */
export const text = () => z.string().regex(NO_NUL, NUL_MESSAGE);

/** A UUID (any version): every id in ZakPOS. */
export const uuid = z.uuid();

/** An amount of money in integer minor units (cents, pence, yen…). Never a float. */
export const minorUnits = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

/** A signed amount, for adjustments and refunds. */
export const signedMinorUnits = z.number().int().min(Number.MIN_SAFE_INTEGER).max(Number.MAX_SAFE_INTEGER);

/** Tax rates and percentage discounts in basis points: 2000 = 20 %. */
export const basisPoints = z.number().int().min(0).max(100_000);

/**
 * The engine's list of currencies or time zones, or undefined where it has none: Hermes (React Native)
 * lacks Intl.supportedValuesOf, and these schemas run there too.
 */
function supportedValues(key: 'currency' | 'timeZone'): string[] | undefined {
  return typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf(key) : undefined;
}

/** Without the engine's list, any well-formed code passes here; the API checks it against the full list. */
export function isKnownCurrency(code: string): boolean {
  return supportedValues('currency')?.includes(code) ?? true;
}

/** Without the engine's list, a zone is known when Intl.DateTimeFormat accepts it. */
export function isKnownTimeZone(tz: string): boolean {
  if (tz === 'UTC') return true;
  const zones = supportedValues('timeZone');
  if (zones) return zones.includes(tz);
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** ISO 4217 alphabetic currency code. */
export const currencyCode = text()
  .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as EUR')
  .refine(isKnownCurrency, 'unknown ISO 4217 currency');

/** IANA time zone name, e.g. Europe/Paris. */
export const timeZone = text().max(64).refine(isKnownTimeZone, 'unknown IANA time zone');

/** A short, trimmed, non-empty human label. */
export const label = (max = 120) => text().trim().min(1).max(max);

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:Z|([+-])(\d{2}):(\d{2}))$/;

/** The instant (ms since the epoch) of a UTC calendar time; years 0–99 are not shifted to 19xx. */
function utcMillis(y: number, mo: number, d: number, h: number, mi: number, s: number): number {
  const date = new Date(0);
  date.setUTCFullYear(y, mo - 1, d);
  date.setUTCHours(h, mi, s, 0);
  return date.getTime();
}

const MIN_INSTANT = utcMillis(1, 1, 1, 0, 0, 0);
const MAX_INSTANT = utcMillis(9999, 12, 31, 23, 59, 59);

/**
 * An ISO 8601 date-time with `Z` or an offset, as PostgreSQL's timestamptz can store it: offsets within
 * ±15:59 (beyond: 22009) and instants from 0001-01-01 to 9999-12-31 in UTC (year 0000: 22008). Given
 * back in UTC, `YYYY-MM-DDTHH:MM:SS[.fraction]Z`, with the fraction as given (PostgreSQL keeps microseconds).
 */
export const dateTime = z.iso.datetime({ offset: true }).transform((value, ctx) => {
  const [, y, mo, d, h, mi, s, fraction, sign, oh, om] = DATE_TIME.exec(value)!;
  const offsetMinutes = sign ? (sign === '-' ? -1 : 1) * (Number(oh) * 60 + Number(om)) : 0;
  if (Math.abs(offsetMinutes) > 15 * 60 + 59) {
    ctx.addIssue({ code: 'custom', message: 'the offset must be within ±15:59' });
    return z.NEVER;
  }
  const instant =
    utcMillis(Number(y), Number(mo), Number(d), Number(h), Number(mi), Number(s)) - offsetMinutes * 60_000;
  if (instant < MIN_INSTANT || instant > MAX_INSTANT) {
    ctx.addIssue({ code: 'custom', message: 'must be between 0001-01-01 and 9999-12-31 (UTC)' });
    return z.NEVER;
  }
  return `${new Date(instant).toISOString().slice(0, 19)}${fraction ? `.${fraction}` : ''}Z`;
});

export const emailAddress = z
  .email()
  .max(254)
  .transform((e) => e.toLowerCase());

export const password = text().min(10).max(200);

/**
 * The rule of every PATCH body: it changes something. Give it to `.refine(notEmpty, NOT_EMPTY)`; the API
 * also enforces it on every PATCH route (apps/api/src/common/http/route.decorator.ts) and the OpenAPI
 * document says `minProperties: 1`.
 */
export const notEmpty = (body: object) => Object.values(body).some((v) => v !== undefined);
export const NOT_EMPTY_MESSAGE = 'send at least one field to change';
export const NOT_EMPTY = { message: NOT_EMPTY_MESSAGE };

export const idParams = z.strictObject({ id: uuid });
export type IdParams = z.infer<typeof idParams>;

/** Cursor pagination: an opaque cursor and a page size. */
export const pageQuery = z.strictObject({
  // A sealed cursor (apps/api/src/common/paging/cursor.ts) around the longest key: a 200-character product name
  // written by JSON at up to six bytes a character, base64url.
  cursor: text().max(2048).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const page = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() });

export const okResponse = z.object({ ok: z.literal(true) });
