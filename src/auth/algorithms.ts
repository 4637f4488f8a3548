/**
 * The signature algorithms each key source may verify. A token's `alg` header only picks among
 * these; it never widens them (no `none`, no HMAC with a public key).
 */

/** Algorithms verified with JWT_SECRET (Better Auth, Supabase legacy secret). */
export const SECRET_ALGORITHMS = ['HS256'] as const;

/** Algorithms verified with the keys at JWKS_URL (Supabase, Better Auth JWKS plugin, OIDC issuers). */
export const JWKS_ALGORITHMS = ['RS256', 'ES256', 'EdDSA'] as const;
