import type { FastifyRequest } from 'fastify';
import { NUL_MESSAGE } from '@zakpos/contracts';
import { DomainError, type FieldErrors } from '../errors/domain-error.js';

const NUL = '\u0000';
const checked = new WeakSet<FastifyRequest>();

/** The dotted paths (`lines.0.note`, as validation errors name fields) of every string or key holding NUL. */
function nulPaths(value: unknown, at: string, found: string[]): void {
  const path = (key: string | number) => (at ? `${at}.${key}` : String(key));
  if (typeof value === 'string') {
    if (value.includes(NUL)) found.push(at);
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => nulPaths(item, path(i), found));
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      if (key.includes(NUL)) found.push(path(key));
      else nulPaths(item, path(key), found);
    }
  }
}

/**
 * PostgreSQL text cannot hold U+0000 (22021), so no request input may: every part of the request
 * (path, query, body) is checked where the first of them is validated, whatever the schemas say.
 */
export function refuseNul(request: FastifyRequest): void {
  // Once per request, though each of its parsed parts calls it.
  if (checked.has(request)) return;
  checked.add(request);
  const fields: FieldErrors = {};
  for (const [part, value] of [
    ['params', request.params],
    ['query', request.query],
    ['body', request.body],
  ] as const) {
    const found: string[] = [];
    nulPaths(value, '', found);
    for (const path of found) fields[path || part] = [NUL_MESSAGE];
  }
  const names = Object.keys(fields);
  if (names.length) throw new DomainError('VALIDATION_FAILED', `invalid input: ${names.join(', ')}`, fields);
}
