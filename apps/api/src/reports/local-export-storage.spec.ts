import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalExportStorage } from './local-export-storage.js';

describe('LocalExportStorage', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'zakpos-local-exports-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('stores a file whole, replaces it whole, and removes it', async () => {
    const store = new LocalExportStorage(dir);
    expect(await store.write('t/a.csv', Readable.from(['a,b\n', '1,2\n']))).toBe(8);
    expect(await text(await store.read('t/a.csv'))).toBe('a,b\n1,2\n');
    expect(await store.write('t/a.csv', Readable.from(['x\n']))).toBe(2);
    expect(await text(await store.read('t/a.csv'))).toBe('x\n');
    await store.remove('t/a.csv');
    await expect(store.read('t/a.csv')).rejects.toThrow();
  });

  it('leaves no file and no partial behind when the body fails, even before it is read', async () => {
    const store = new LocalExportStorage(dir);
    const early = new Readable({ read() {} });
    const writing = store.write('t/cut.csv', early);
    early.destroy(new Error('the database went away'));
    await expect(writing).rejects.toThrow('the database went away');
    const late = new Readable({ read() {} });
    const second = store.write('t/cut.csv', late);
    late.push('date,net\n');
    setTimeout(() => late.destroy(new Error('gone later')), 10);
    await expect(second).rejects.toThrow('gone later');
    expect(await readdir(join(dir, 't'))).toEqual([]);
  });

  it('refuses a key that leaves its folder', async () => {
    const store = new LocalExportStorage(join(dir, 'exports'));
    await expect(store.write('../escape.csv', Readable.from(['x']))).rejects.toThrow(
      'leaves the exports folder',
    );
    expect(await readdir(dir)).toEqual([]);
  });
});
