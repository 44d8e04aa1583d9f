import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { benchRedisConf, benchServerProperties, swapOnce } from './bench-servers.js';

const shipped = (path: string) => readFileSync(new URL(`../../../../${path}`, import.meta.url), 'utf8');

describe('swapOnce', () => {
  it('replaces a text or a whole line found exactly once', () => {
    expect(swapOnce('a=1\nb=2\n', 'b=2', 'b=3')).toBe('a=1\nb=3\n');
    expect(swapOnce('port 6379\nbind *\n', /^port .*$/, 'port 1')).toBe('port 1\nbind *\n');
  });

  it('refuses what it finds no time or twice: a drifted shipped config fails loudly', () => {
    expect(() => swapOnce('a=1\n', 'b=2', 'b=3')).toThrow(/found 0/);
    expect(() => swapOnce('b=2\nb=2\n', 'b=2', 'b=3')).toThrow(/found 2/);
    expect(() => swapOnce('port 1\nport 2\n', /^port .*$/, 'port 3')).toThrow(/found 2/);
  });
});

describe('the shipped configs, as the bench runs them', () => {
  it('keeps docker/kafka/server.properties but for its ports, hosts and log folder', () => {
    const text = shipped('docker/kafka/server.properties');
    const out = benchServerProperties(text, { plaintext: 1001, controller: 1002, external: 1003 }, '/tmp/k');
    expect(out).toContain('controller.quorum.voters=1@127.0.0.1:1002');
    expect(out).toContain(
      'listeners=PLAINTEXT://127.0.0.1:1001,CONTROLLER://127.0.0.1:1002,EXTERNAL://127.0.0.1:1003',
    );
    expect(out).toContain('advertised.listeners=PLAINTEXT://127.0.0.1:1001,EXTERNAL://127.0.0.1:1003');
    expect(out).toContain('log.dirs=/tmp/k\n');
    const changed = (t: string) => t.split('\n').filter((l) => !out.split('\n').includes(l));
    expect(changed(text)).toHaveLength(4);
    expect(out).toContain('auto.create.topics.enable=false');
  });

  it('keeps docker/redis/redis.conf but for bind, port and dir', () => {
    const text = shipped('docker/redis/redis.conf');
    const out = benchRedisConf(text, 4242, '/tmp/r');
    expect(out).toMatch(/^bind 127\.0\.0\.1$/m);
    expect(out).toMatch(/^port 4242$/m);
    expect(out).toMatch(/^dir \/tmp\/r$/m);
    expect(out).toMatch(/^appendonly yes$/m);
    expect(text.split('\n').length).toBe(out.split('\n').length);
  });
});
