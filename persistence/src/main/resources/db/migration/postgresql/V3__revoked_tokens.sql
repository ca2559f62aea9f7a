-- Revoked tokens (POST /v1/auth/revoke), kept until the token would have expired anyway: after
-- that it is refused for its exp, and the row can go (DatabaseRevocations.purgeExpired). This table
-- is the record of revocations; Redis holds a copy (revoked:{jti}) for fast checks on every node,
-- and is refilled from here when it comes back empty. Its twin for the embedded H2 database is
-- db/migration/h2/V3__revoked_tokens.sql; keep both in step.
CREATE TABLE revoked_tokens (
  jti        VARCHAR(64)  NOT NULL PRIMARY KEY,
  expires_at TIMESTAMPTZ  NOT NULL
);
-- The purge deletes by expiry; the refill of Redis reads the rows not yet expired.
CREATE INDEX revoked_tokens_expires_at_idx ON revoked_tokens (expires_at);
