import type { Generated } from 'kysely';

/** Kysely row types of 0004_auth.sql. */
export interface RefreshTokensTable {
  tenant_id: string;
  id: string;
  user_id: string;
  family_id: string;
  /** Hex SHA-256 of the whole token string; the token itself is never stored. */
  token_hash: string;
  register_id: string | null;
  expires_at: Date;
  rotated_at: Date | null;
  replaced_by: string | null;
  revoked_at: Date | null;
  created_at: Generated<Date>;
  ip: string | null;
  user_agent: string | null;
}

export interface AuthTables {
  refresh_tokens: RefreshTokensTable;
}
