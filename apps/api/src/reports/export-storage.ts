import type { Readable } from 'node:stream';

/**
 * Where finished report exports are kept: a folder (local-export-storage.ts; the embedded default) or an
 * S3-compatible bucket. Keys are `<tenant>/<export id>.csv`; a write replaces the file whole, so a job run
 * again after a crash leaves one complete file, never a mix of two runs.
 */
export interface ExportStorage {
  /** Writes the stream to `key`, visible only once complete; resolves with its size in bytes. */
  write(key: string, body: Readable): Promise<number>;
  /** The file at `key`; rejects when there is none. */
  read(key: string): Promise<Readable>;
  remove(key: string): Promise<void>;
  /** Lets go of connections at shutdown. */
  close?(): void;
}

/** Nest injection token: the ExportStorage of this process, or null when none is configured. */
export const EXPORT_STORAGE = Symbol('EXPORT_STORAGE');
export type ExportStorageOrNone = ExportStorage | null;
