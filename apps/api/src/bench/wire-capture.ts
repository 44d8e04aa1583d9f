import { connect, createServer, type Server, type Socket } from 'node:net';

/** One statement as PostgreSQL received it: its SQL and, for the extended protocol, its parameters. */
export interface CapturedStatement {
  /** 'simple': a Query message; 'extended': Parse/Bind/Execute. */
  protocol: 'simple' | 'extended';
  sql: string;
  /** Text-format parameter values ($1, $2, …); null is SQL NULL. Empty for the simple protocol. */
  params: (string | null)[];
  /** The prepared statement's name; '' for the unnamed statement. */
  statementName: string;
}

export interface WireCapture {
  port: number;
  /** The statements executed since the previous call, in the order PostgreSQL received them. */
  take: () => CapturedStatement[];
  close: () => Promise<void>;
}

const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;

/**
 * A TCP pass-through to PostgreSQL that records what its clients ask the server to execute: each
 * Query message, and each Execute of the extended protocol with the SQL of its Parse and the parameter
 * values of its Bind. Bytes are forwarded unchanged both ways; only the client's side is read. Used to
 * learn exactly which statements one API request sends, so that pgbench can replay them.
 */
export async function startWireCapture(upstream: { host: string; port: number }): Promise<WireCapture> {
  let captured: CapturedStatement[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const db = connect(upstream.port, upstream.host);
    sockets.add(client).add(db);
    const parser = new FrontendParser((s) => captured.push(s));
    client.on('data', (chunk: Buffer) => parser.push(chunk));
    client.pipe(db);
    db.pipe(client);
    const end = () => {
      client.destroy();
      db.destroy();
      sockets.delete(client);
      sockets.delete(db);
    };
    client.on('error', end).on('close', end);
    db.on('error', end).on('close', end);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (!address || typeof address !== 'object') throw new Error('wire capture: no port');
  return {
    port: address.port,
    take: () => {
      const taken = captured;
      captured = [];
      return taken;
    },
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Reads the frontend (client → server) messages of one connection as its bytes arrive. */
export class FrontendParser {
  private buffer = Buffer.alloc(0);
  private started = false;
  private readonly statements = new Map<string, string>();
  private readonly portals = new Map<string, { statementName: string; params: (string | null)[] }>();

  constructor(private readonly onStatement: (s: CapturedStatement) => void) {}

  push(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      if (!this.started) {
        // The startup packet (or an SSL/GSS request before it) has a length but no type byte.
        if (this.buffer.length < 8) return;
        const length = this.buffer.readInt32BE(0);
        if (this.buffer.length < length) return;
        const code = this.buffer.readInt32BE(4);
        if (code !== SSL_REQUEST && code !== GSSENC_REQUEST) this.started = true;
        this.buffer = this.buffer.subarray(length);
        continue;
      }
      if (this.buffer.length < 5) return;
      const length = this.buffer.readInt32BE(1);
      if (this.buffer.length < 1 + length) return;
      const type = String.fromCharCode(this.buffer[0]!);
      const body = this.buffer.subarray(5, 1 + length);
      this.buffer = this.buffer.subarray(1 + length);
      this.message(type, new Reader(body));
    }
  }

  private message(type: string, r: Reader): void {
    if (type === 'Q') {
      this.onStatement({ protocol: 'simple', sql: r.cstring(), params: [], statementName: '' });
    } else if (type === 'P') {
      const name = r.cstring();
      this.statements.set(name, r.cstring());
    } else if (type === 'B') {
      const portal = r.cstring();
      const statementName = r.cstring();
      const formats = Array.from({ length: r.int16() }, () => r.int16());
      const params = Array.from({ length: r.int16() }, (_, i) => {
        const length = r.int32();
        if (length < 0) return null;
        const format = formats.length === 1 ? formats[0] : (formats[i] ?? 0);
        if (format !== 0) throw new Error('wire capture: binary parameters are not replayable');
        return r.bytes(length).toString('utf8');
      });
      this.portals.set(portal, { statementName, params });
    } else if (type === 'E') {
      const bound = this.portals.get(r.cstring());
      const sql = bound && this.statements.get(bound.statementName);
      if (bound && sql !== undefined) {
        this.onStatement({
          protocol: 'extended',
          sql,
          params: bound.params,
          statementName: bound.statementName,
        });
      }
    }
  }
}

class Reader {
  private at = 0;
  constructor(private readonly buf: Buffer) {}

  cstring(): string {
    const end = this.buf.indexOf(0, this.at);
    const s = this.buf.toString('utf8', this.at, end);
    this.at = end + 1;
    return s;
  }
  int16(): number {
    const v = this.buf.readInt16BE(this.at);
    this.at += 2;
    return v;
  }
  int32(): number {
    const v = this.buf.readInt32BE(this.at);
    this.at += 4;
    return v;
  }
  bytes(n: number): Buffer {
    const b = this.buf.subarray(this.at, this.at + n);
    this.at += n;
    return b;
  }
}
