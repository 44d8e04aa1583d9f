import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { ReportExport } from '@zakpos/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestMinio, type TestMinio } from '../../../../docker/minio/test-minio.js';
import { checkedInject } from '../test/contract-check.js';
import { createTenant } from '../test/fixtures.js';
import { createTestApp } from '../test/test-app.js';
import { S3ExportStorage } from './s3-export-storage.js';

/** Report exports in an S3-compatible bucket: a real MinIO server (docker/minio/test-minio.ts). */
describe('exports in S3 (MinIO)', () => {
  let minio: TestMinio;
  beforeAll(async () => {
    minio = await startTestMinio();
  });
  afterAll(async () => {
    await minio?.close();
  });

  const storage = (bucket: string) =>
    new S3ExportStorage({
      bucket,
      endpoint: minio.endpoint,
      region: 'us-east-1',
      accessKeyId: minio.accessKeyId,
      secretAccessKey: minio.secretAccessKey,
    });

  it('makes its bucket on first use, stores a file whole, replaces it whole, and removes it', async () => {
    const s3 = storage(`exports-${randomUUID().slice(0, 8)}`);
    try {
      const big = 'a,b,c\n'.repeat(2_000_000); // 12 MB: a multipart upload
      expect(await s3.write('t/one.csv', Readable.from([big]))).toBe(big.length);
      expect(await text(await s3.read('t/one.csv'))).toBe(big);
      expect(await s3.write('t/one.csv', Readable.from(['x\n']))).toBe(2);
      expect(await text(await s3.read('t/one.csv'))).toBe('x\n');
      await s3.remove('t/one.csv');
      await expect(s3.read('t/one.csv')).rejects.toThrow();
    } finally {
      s3.close();
    }
  });

  it('leaves nothing behind when the rows stop coming halfway', async () => {
    const s3 = storage(`exports-${randomUUID().slice(0, 8)}`);
    try {
      const failing = new Readable({ read() {} });
      const writing = s3.write('t/cut.csv', failing);
      failing.push('date,net\n');
      failing.destroy(new Error('the database went away'));
      await expect(writing).rejects.toThrow();
      await expect(s3.read('t/cut.csv')).rejects.toThrow();
    } finally {
      s3.close();
    }
  });

  it('serves an export the API wrote to the bucket by its link', async () => {
    const app: NestFastifyApplication = await createTestApp(minio.env('zakpos-exports'));
    try {
      const t = await createTenant(app);
      const id = randomUUID();
      const asked = await checkedInject(app, {
        method: 'POST',
        url: '/report-exports',
        headers: t.owner.headers,
        payload: { id, report: 'tax', from: '2026-01-01', to: '2026-01-31' },
      });
      expect(asked.statusCode, asked.body).toBe(202);
      let done: ReportExport | undefined;
      await expect
        .poll(
          async () => {
            done = (
              await checkedInject(app, { url: `/report-exports/${id}`, headers: t.owner.headers })
            ).json();
            return done!.status;
          },
          { timeout: 20_000 },
        )
        .toBe('completed');
      const file = await checkedInject(app, { url: done!.download!.url });
      expect(file.statusCode, file.body).toBe(200);
      const direct = await checkedInject(app, {
        url: '/reports/tax?from=2026-01-01&to=2026-01-31&format=csv',
        headers: t.owner.headers,
      });
      expect(file.body).toBe(direct.body);
      expect(done!.bytes).toBe(Buffer.byteLength(file.body));
    } finally {
      await app.close();
    }
  });
});
