import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  type Bindings,
  type ChildLoggerOptions,
  type DestinationStream,
  type Logger,
  type LoggerOptions,
  pino,
} from 'pino';
import type { Env } from '../../config/env.js';
import { REDACTED, redactEntry, redactFormatArg, redactObject } from './redaction.js';

export { REDACTED } from './redaction.js';

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
  return redactEntry('req', {
    method: request.method,
    url: scrubUrl(request.url),
    route: request.routeOptions?.url,
    remoteAddress: request.ip,
    userAgent: request.headers?.['user-agent'],
  });
}

function serializeReply(reply: FastifyReply) {
  return redactEntry('res', { statusCode: reply.statusCode });
}

function serializeError(err: unknown) {
  const plain = pino.stdSerializers.err(err as Error) as Record<string, unknown> | undefined;
  if (!plain) return plain;
  for (const key of ['message', 'stack'] as const) {
    if (typeof plain[key] === 'string') plain[key] = scrubText(plain[key]);
  }
  return redactEntry('err', plain);
}

/** The keys pino hands to a serializer; each serializer redacts what it returns. */
const SERIALIZED = new Set(['req', 'res', 'err']);

/** stdout, written asynchronously in batches: a log line never waits for the write of another. */
const STDOUT_BATCH_BYTES = 4096;
/** A batch not yet full is written out after at most this long. */
const STDOUT_FLUSH_MS = 250;

export interface LoggerSettings {
  level: Env['LOG_LEVEL'];
  /** Where the JSON lines go; stdout when absent. The tests pass a stream to read them back. */
  stream?: DestinationStream;
}

/**
 * The one pino logger of an app: Fastify's request logs and Nest's own logs both go through it.
 *
 * Every line and every child logger's bindings are redacted (redaction.ts) and messages scrubbed of
 * emails and tokens. On stdout, lines are buffered and written asynchronously in batches; pino writes
 * what is left synchronously when the process exits, and `endLogs` writes it out before then.
 */
export function createLogger({ level, stream }: LoggerSettings): Logger {
  const options: LoggerOptions = {
    level,
    timestamp: pino.stdTimeFunctions.isoTime,
    serializers: { req: serializeRequest, res: serializeReply, err: serializeError },
    formatters: { log: (obj) => redactObject(obj, SERIALIZED) },
    hooks: {
      // pino reads the arguments as [merging object,] message, ...values interpolated into the message.
      logMethod(args, method) {
        const firstInterpolated = typeof args[0] === 'object' ? 2 : 1;
        method.apply(
          this,
          args.map((a, i) =>
            typeof a === 'string' ? scrubText(a) : i >= firstInterpolated ? redactFormatArg(a) : a,
          ) as Parameters<typeof method>,
        );
      },
    },
  };
  const destination =
    stream ??
    pino.destination({ dest: 1, sync: false, minLength: STDOUT_BATCH_BYTES, periodicFlush: STDOUT_FLUSH_MS });
  const logger = pino(options, destination);
  // pino offers no hook for a child's bindings: every child (Fastify's per request, the auth guard's)
  // is made through the root's `child`, which descendants inherit, so the bindings are redacted here.
  const child = logger.child;
  logger.child = function redactedChild<C extends string = never>(
    this: unknown,
    bindings: Bindings,
    childOptions?: ChildLoggerOptions<C>,
  ): Logger<C> {
    return Reflect.apply(child, this, [redactObject(bindings, SERIALIZED), childOptions]) as Logger<C>;
  };
  return logger;
}

/**
 * Resolves once every line logged so far has been written out, before the process exits: it ends the
 * destination, so nothing may be logged afterwards. (pino's `flush` is not enough: it does not wait for a
 * write already in flight, and process.exit() would then let pino's exit handler write the lines queued
 * behind it at once, out of order or not at all.) It never rejects: nothing at exit could retry a write.
 */
export function endLogs(logger: Logger): Promise<void> {
  const stream = (logger as unknown as Record<symbol, NodeJS.WritableStream | undefined>)[
    pino.symbols.streamSym
  ];
  if (typeof stream?.end !== 'function') return Promise.resolve();
  return new Promise((resolve) => {
    for (const event of ['finish', 'close', 'error']) stream.once(event, () => resolve());
    stream.end();
  });
}
