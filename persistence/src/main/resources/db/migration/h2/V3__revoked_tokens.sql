-- Revoked tokens on the embedded H2 database: the twin of
-- db/migration/postgresql/V3__revoked_tokens.sql (read its comments there), in H2's SQL. Keep both
-- in step. There is no V2 here: V2 on PostgreSQL partitions events, which H2 keeps in one table;
-- the version numbers stay the same on both so that a migration means one thing.
CREATE TABLE revoked_tokens (
  jti        VARCHAR(64)  NOT NULL PRIMARY KEY,
  expires_at TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX revoked_tokens_expires_at_idx ON revoked_tokens (expires_at);
