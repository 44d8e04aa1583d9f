import type { FastifyReply, FastifyRequest } from 'fastify';
import { type DestinationStream, type Logger, type LoggerOptions, pino } from 'pino';
import type { Env } from '../../config/env.js';

const SECRET_FIELDS = [
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
];

/**
 * Secrets and PII are redacted wherever a log line carries them: in headers, and in any object
 * logged at the top level or up to three levels down (`{ body: { owner: { email } } }`).
 */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'headers.authorization',
  'headers.cookie',
  'res.headers["set-cookie"]',
  ...SECRET_FIELDS.flatMap((f) => [f, `*.${f}`, `*.*.${f}`, `*.*.*.${f}`]),
];

export const REDACTED = '[redacted]';

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b/g;
const JWT = /\beyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+/g;
const BEARER = /\bBearer\s+[A-Za-z0-9._~+/-]+=*/gi;

/** Free text (messages, error messages) with emails and tokens blanked out. */
export function scrubText(text: string): string {
  return text.replace(EMAIL, '[email]').replace(JWT, REDACTED).replace(BEARER, `Bearer ${REDACTED}`);
}

const SECRET_QUERY_PARAM = /(token|password|passwd|secret|email)$|^pin$/i;

/** The URL with the values of secret-looking query parameters blanked out. */
export function scrubUrl(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return scrubText(url);
  const params = new URLSearchParams(url.slice(q + 1));
  for (const name of new Set(params.keys())) {
    if (SECRET_QUERY_PARAM.test(name)) params.set(name, 'redacted');
  }
  return scrubText(`${url.slice(0, q)}?${params.toString()}`);
}

/** Only what helps to trace a request: never its headers (tokens, cookies) and never its body. */
function serializeRequest(request: FastifyRequest) {
  return {
    method: request.method,
    url: scrubUrl(request.url),
    route: request.routeOptions?.url,
    remoteAddress: request.ip,
    userAgent: request.headers?.['user-agent'],
  };
}

function serializeReply(reply: FastifyReply) {
  return { statusCode: reply.statusCode };
}

function serializeError(err: unknown) {
  const plain = pino.stdSerializers.err(err as Error) as Record<string, unknown> | undefined;
  if (!plain) return plain;
  for (const key of ['message', 'stack'] as const) {
    if (typeof plain[key] === 'string') plain[key] = scrubText(plain[key]);
  }
  return plain;
}

export interface LoggerSettings {
  level: Env['LOG_LEVEL'];
  /** Where the JSON lines go; stdout when absent. The tests pass a stream to read them back. */
  stream?: DestinationStream;
}

/** The one pino logger of an app: Fastify's request logs and Nest's own logs both go through it. */
export function createLogger({ level, stream }: LoggerSettings): Logger {
  const options: LoggerOptions = {
    level,
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: REDACT_PATHS, censor: REDACTED },
    serializers: { req: serializeRequest, res: serializeReply, err: serializeError },
    hooks: {
      logMethod(args, method) {
        method.apply(
          this,
          args.map((a) => (typeof a === 'string' ? scrubText(a) : a)) as Parameters<typeof method>,
        );
      },
    },
  };
  return stream ? pino(options, stream) : pino(options);
}
