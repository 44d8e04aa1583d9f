// Runs inside the api container (`node --input-type=module -e`, with only what the API image has): sequential
// round trips from the API's network namespace, each over one connection opened first, after a few uncounted
// ones.
//   postgres: `select 1` on a pg client of the app's own connection string (/run/secrets/database_url)
//   redis:    PING in RESP over a raw TCP socket to redis:6379, after AUTH (the password comes on stdin: the
//             api container holds no Redis secret)
//   kafka:    a raw ApiVersions v0 request over TCP to kafka:9092 (the broker decodes it and answers its API
//             versions), checked for its correlation id and error code 0
// Reads {"n", "warmup", "redisPassword"} as JSON on stdin; prints {"postgres", "redis", "kafka"}: ms[] each.
import { Buffer } from 'node:buffer';
import fs from 'node:fs';
import net from 'node:net';
import { performance } from 'node:perf_hooks';

async function rounds(n, warmup, once) {
  for (let i = 0; i < warmup; i++) await once(i);
  const ms = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await once(i);
    ms.push(performance.now() - t0);
  }
  return ms;
}

/** A TCP connection on which each ask() writes a request and resolves with the next whole reply frame. */
function connect(host, port) {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port, noDelay: true });
    let buffered = Buffer.alloc(0);
    let waiting;
    const deliver = () => {
      const length = waiting && waiting.frameLength(buffered);
      if (length === undefined) return;
      const frame = buffered.subarray(0, length);
      buffered = buffered.subarray(length);
      const w = waiting;
      waiting = undefined;
      w.resolve(frame);
    };
    socket.on('data', (chunk) => {
      buffered = Buffer.concat([buffered, chunk]);
      deliver();
    });
    socket.on('error', (err) => (waiting ? waiting.reject(err) : reject(err)));
    socket.on('connect', () =>
      resolve({
        ask: (bytes, frameLength) =>
          new Promise((res, rej) => {
            waiting = { resolve: res, reject: rej, frameLength };
            socket.write(bytes);
          }),
        close: () => socket.destroy(),
      }),
    );
  });
}

async function postgres(n, warmup) {
  // Resolved from the working directory, the app's /app: its own pg.
  const { default: pg } = await import('pg');
  const { Client } = pg;
  const client = new Client({
    connectionString: fs.readFileSync('/run/secrets/database_url', 'utf8').trim(),
  });
  await client.connect();
  try {
    return await rounds(n, warmup, () => client.query('select 1'));
  } finally {
    await client.end();
  }
}

// RESP simple strings and errors end at the first CRLF.
const respLine = (buf) => {
  const end = buf.indexOf('\r\n');
  return end < 0 ? undefined : end + 2;
};
const resp = (...args) =>
  Buffer.from(`*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`);

async function redis(n, warmup, password) {
  const conn = await connect('redis', 6379);
  try {
    const auth = (await conn.ask(resp('AUTH', password), respLine)).toString();
    if (auth !== '+OK\r\n') throw new Error(`redis AUTH answered ${auth.trim()}`);
    return await rounds(n, warmup, async () => {
      const reply = (await conn.ask(resp('PING'), respLine)).toString();
      if (reply !== '+PONG\r\n') throw new Error(`redis PING answered ${reply.trim()}`);
    });
  } finally {
    conn.close();
  }
}

// Kafka frames: a 4-byte big-endian size, then that many bytes.
const kafkaFrame = (buf) =>
  buf.length >= 4 && buf.length >= 4 + buf.readInt32BE(0) ? 4 + buf.readInt32BE(0) : undefined;

/** ApiVersions (key 18) v0 under request header v1: key, version, correlation id, client id; empty body. */
function apiVersionsRequest(correlationId) {
  const clientId = Buffer.from('zakpos-bench');
  const body = Buffer.alloc(10 + clientId.length);
  body.writeInt16BE(18, 0);
  body.writeInt16BE(0, 2);
  body.writeInt32BE(correlationId, 4);
  body.writeInt16BE(clientId.length, 8);
  clientId.copy(body, 10);
  const size = Buffer.alloc(4);
  size.writeInt32BE(body.length, 0);
  return Buffer.concat([size, body]);
}

async function kafka(n, warmup) {
  const conn = await connect('kafka', 9092);
  try {
    return await rounds(n, warmup, async (i) => {
      const reply = await conn.ask(apiVersionsRequest(i), kafkaFrame);
      const correlationId = reply.readInt32BE(4);
      const errorCode = reply.readInt16BE(8);
      if (correlationId !== i || errorCode !== 0)
        throw new Error(`kafka ApiVersions answered correlation ${correlationId}, error ${errorCode}`);
    });
  } finally {
    conn.close();
  }
}

async function main() {
  const input = JSON.parse(fs.readFileSync(0, 'utf8'));
  const result = {
    postgres: await postgres(input.n, input.warmup),
    redis: await redis(input.n, input.warmup, input.redisPassword),
    kafka: await kafka(input.n, input.warmup),
  };
  process.stdout.write(JSON.stringify(result));
}

await main();
