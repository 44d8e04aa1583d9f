import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ExportStorage } from './export-storage.js';

/**
 * Exports in a folder of this machine (EXPORTS_DIR): the embedded default, where the API and its jobs are
 * one process. Written to a temporary name and renamed, so a reader never sees half a file.
 */
export class LocalExportStorage implements ExportStorage {
  private readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
  }

  async write(key: string, body: Readable): Promise<number> {
    const path = this.path(key);
    // Listened to from the start: the body may fail while the folder is made, before the pipeline reads it.
    let failed: Error | undefined;
    const onError = (err: Error) => (failed ??= err);
    body.on('error', onError);
    const partial = `${path}.${randomUUID()}.partial`;
    try {
      await mkdir(dirname(path), { recursive: true });
      if (failed) throw failed;
      await pipeline(body, createWriteStream(partial, { mode: 0o600 }));
      await rename(partial, path);
    } catch (err) {
      await rm(partial, { force: true });
      throw err;
    } finally {
      body.off('error', onError);
    }
    return (await stat(path)).size;
  }

  async read(key: string): Promise<Readable> {
    const path = this.path(key);
    await stat(path);
    return createReadStream(path);
  }

  async remove(key: string): Promise<void> {
    await rm(this.path(key), { force: true });
  }

  /** The key's file, refused when it would leave the folder. */
  private path(key: string): string {
    const path = resolve(join(this.root, key));
    if (!path.startsWith(this.root + sep)) throw new Error(`export key ${key} leaves the exports folder`);
    return path;
  }
}
