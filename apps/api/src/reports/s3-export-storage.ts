import type { Readable } from 'node:stream';
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import type { ExportStorage } from './export-storage.js';

export interface S3Settings {
  endpoint: string | undefined;
  region: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
}

/**
 * Exports in an S3-compatible bucket (MinIO in the stack), shared by every API replica and the worker. An
 * upload becomes visible only once complete (a multipart upload is assembled at its end), so a reader never
 * sees half a file. The bucket is created on first use when missing.
 */
export class S3ExportStorage implements ExportStorage {
  private readonly client: S3Client;
  private bucketReady: Promise<void> | undefined;

  constructor(private readonly settings: S3Settings) {
    this.client = new S3Client({
      region: settings.region,
      ...(settings.endpoint ? { endpoint: settings.endpoint, forcePathStyle: true } : {}),
      credentials: { accessKeyId: settings.accessKeyId, secretAccessKey: settings.secretAccessKey },
      maxAttempts: 3,
    });
  }

  async write(key: string, body: Readable): Promise<number> {
    // Listened to from the start: the body may fail while the bucket is checked, before the upload reads it.
    let failed: Error | undefined;
    const onError = (err: Error) => (failed ??= err);
    body.on('error', onError);
    try {
      await this.bucket();
      if (failed) throw failed;
      let bytes = 0;
      body.on('data', (chunk: Buffer) => (bytes += chunk.length));
      await new Upload({
        client: this.client,
        params: {
          Bucket: this.settings.bucket,
          Key: key,
          Body: body,
          ContentType: 'text/csv; charset=utf-8',
        },
      }).done();
      if (failed) throw failed;
      return bytes;
    } finally {
      body.off('error', onError);
    }
  }

  async read(key: string): Promise<Readable> {
    const object = await this.client.send(new GetObjectCommand({ Bucket: this.settings.bucket, Key: key }));
    return object.Body as Readable;
  }

  async remove(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.settings.bucket, Key: key }));
  }

  close(): void {
    this.client.destroy();
  }

  /** Once per process: the bucket exists, or is made. A failure is tried again by the next write. */
  private bucket(): Promise<void> {
    this.bucketReady ??= (async () => {
      const Bucket = this.settings.bucket;
      try {
        await this.client.send(new HeadBucketCommand({ Bucket }));
      } catch (err) {
        if ((err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode !== 404) throw err;
        try {
          await this.client.send(new CreateBucketCommand({ Bucket }));
        } catch (created) {
          // Another replica made it meanwhile.
          if ((created as Error).name !== 'BucketAlreadyOwnedByYou') throw created;
        }
      }
    })().catch((err: unknown) => {
      this.bucketReady = undefined;
      throw err;
    });
    return this.bucketReady;
  }
}
