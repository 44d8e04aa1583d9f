import { Algorithm, hash, verify } from '@node-rs/argon2';

// argon2id with OWASP's minimum recommended parameters (19 MiB, 2 passes, 1 lane).
const OPTIONS = { algorithm: Algorithm.Argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/** Hashes passwords and PINs with argon2id; the encoded hash carries its own salt and parameters. */
export const passwordHasher = {
  hash: (secret: string): Promise<string> => hash(secret, OPTIONS),
  verify: async (encoded: string, secret: string): Promise<boolean> => {
    try {
      return await verify(encoded, secret);
    } catch {
      return false;
    }
  },
};

/** A valid hash of a random secret: verifying against it costs the same as a real check (timing). */
export const DUMMY_HASH_INPUT = 'zakpos-timing-equaliser';
