import { pinCode } from '@zakpos/contracts';
import { DomainError } from '../common/errors/domain-error.js';
import { passwordHasher } from './password-hasher.js';

/**
 * The stored form of a register PIN (argon2id, like passwords). Exported for the users module,
 * where managers set their staff's PINs.
 */
export async function hashPin(pin: string): Promise<string> {
  if (!pinCode.safeParse(pin).success) throw DomainError.validation('pin', 'must be 4 to 6 digits');
  return passwordHasher.hash(pin);
}
