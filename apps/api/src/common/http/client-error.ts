import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { errorStatus } from '../errors/error-codes.js';

/**
 * What Node's HTTP parser refuses before any route runs, answered in the API's one error shape (Fastify's
 * default writes its own `{"error":"...","statusCode"}` body). A request line and headers over Node's limit
 * (16 KiB: a long query string counts) are a 431 HEADERS_TOO_LARGE; any other unparsable request a 400.
 */
export function answerClientError(err: Error & { code?: string }, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed || !socket.writable) return;
  if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    socket.destroy(err);
    return;
  }
  const [code, message] =
    err.code === 'HPE_HEADER_OVERFLOW'
      ? (['HEADERS_TOO_LARGE', 'the request line and headers are over 16 KiB'] as const)
      : (['MALFORMED_REQUEST', 'the request is not valid HTTP'] as const);
  const status = errorStatus[code];
  const body = JSON.stringify({ error: { code, message } });
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nConnection: close\r\nContent-Type: application/json; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}
