import { Injectable } from '@nestjs/common';
import { hash, verify } from '@node-rs/argon2';

/**
 * argon2id with 7 MiB and 5 passes: one of OWASP's equivalent settings (its list runs from
 * m=47104 t=1 to m=7168 t=5, all p=1). The smallest memory cost is chosen because each verify
 * holds its memory on a libuv thread while it runs: four logins at once cost 28 MiB, not the
 * 76 MiB of the former m=19456 t=2. Hashes made with other settings still verify (a hash carries
 * its own) and are replaced at the next login (`needsRehash`).
 */
export const PASSWORD_HASH_SETTINGS = { memoryCost: 7168, timeCost: 5, parallelism: 1 } as const;

const SETTINGS_IN_HASH = `$argon2id$v=19$m=${PASSWORD_HASH_SETTINGS.memoryCost},t=${PASSWORD_HASH_SETTINGS.timeCost},p=${PASSWORD_HASH_SETTINGS.parallelism}$`;

/** argon2id through a prebuilt native binary (no install script needed). */
@Injectable()
export class PasswordHasher {
  hash(password: string): Promise<string> {
    return hash(password, PASSWORD_HASH_SETTINGS);
  }

  async verify(hashed: string, password: string): Promise<boolean> {
    try {
      return await verify(hashed, password);
    } catch {
      return false;
    }
  }

  /** Whether a stored hash was made with other settings than today's (and should be replaced once the password is known). */
  needsRehash(hashed: string): boolean {
    return !hashed.startsWith(SETTINGS_IN_HASH);
  }
}
