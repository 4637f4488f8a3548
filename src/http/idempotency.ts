/** How long an Idempotency-Key's answer is kept, the same for the Tasks API's database and the gateway's stores. */

/** Hours a completed Idempotency-Key record is kept and replayed. */
export const IDEMPOTENCY_TTL_HOURS = 24;
