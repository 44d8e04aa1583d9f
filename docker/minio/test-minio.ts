// A real MinIO server for the API's tests (scripts/lib/object-store.mjs builds it once into the cache), on
// 127.0.0.1 with a fresh data folder and root credentials of its own.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../apps/api/src/common/net/free-port.js';
import { minioBin } from '../../scripts/lib/object-store.mjs';

export interface TestMinio {
  /** http://127.0.0.1:port */
  endpoint: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** The API's settings for a bucket of this server. */
  env(bucket: string): Record<string, string>;
  close(): Promise<void>;
}

export async function startTestMinio(): Promise<TestMinio> {
  const dir = await mkdtemp(join(tmpdir(), 'zakpos-minio-'));
  const port = await freePort();
  const accessKeyId = `zakpos-${randomBytes(4).toString('hex')}`;
  const secretAccessKey = randomBytes(18).toString('base64url');
  const endpoint = `http://127.0.0.1:${port}`;
  let output = '';
  const proc: ChildProcess = spawn(
    minioBin(),
    [
      'server',
      join(dir, 'data'),
      '--address',
      `127.0.0.1:${port}`,
      '--console-address',
      `127.0.0.1:${await freePort()}`,
      '--quiet',
    ],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        HOME: dir,
        MINIO_ROOT_USER: accessKeyId,
        MINIO_ROOT_PASSWORD: secretAccessKey,
        MINIO_BROWSER: 'off',
        MINIO_UPDATE: 'off',
      },
    },
  );
  proc.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  proc.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const stop = async () => {
    if (proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise((r) => proc.once('exit', r));
    proc.kill('SIGTERM');
    await exited;
  };
  try {
    for (let i = 0; ; i++) {
      if (proc.exitCode !== null) throw new Error(`minio exited ${proc.exitCode}:\n${output}`);
      const ready = await fetch(`${endpoint}/minio/health/ready`).then(
        (r) => r.ok,
        () => false,
      );
      if (ready) break;
      if (i > 300) throw new Error(`minio did not become ready:\n${output}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  } catch (err) {
    await stop();
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
  return {
    endpoint,
    accessKeyId,
    secretAccessKey,
    env: (bucket) => ({
      S3_BUCKET: bucket,
      S3_ENDPOINT: endpoint,
      S3_ACCESS_KEY_ID: accessKeyId,
      S3_SECRET_ACCESS_KEY: secretAccessKey,
    }),
    close: async () => {
      await stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
