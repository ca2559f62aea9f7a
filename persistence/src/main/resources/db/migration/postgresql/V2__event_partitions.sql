-- Monthly partitions of events, for the current month (UTC) and months_ahead months after it.
-- Idempotent: a month that has its partition is left alone, so the server calls it at every start
-- (ReadSideSchema.migrate) to keep partitions ahead of time. Rows already in events_default for a
-- new month are moved into its partition, which is then attached: creating the partition directly
-- would fail while the default partition holds rows of its range. Concurrent callers (nodes
-- starting together) are serialised by a transaction-level advisory lock. search_path is fixed to
-- the schema the function is created in, so it works on that schema's events whoever calls it.
-- Returns how many partitions it created.
CREATE OR REPLACE FUNCTION create_event_partitions(months_ahead INT) RETURNS INT
LANGUAGE plpgsql
SET search_path FROM CURRENT
AS $$
DECLARE
  this_month TIMESTAMP := date_trunc('month', now() AT TIME ZONE 'UTC');
  month_start TIMESTAMP;
  low TIMESTAMPTZ;
  high TIMESTAMPTZ;
  partition_name TEXT;
  created INT := 0;
BEGIN
  IF months_ahead IS NULL OR months_ahead < 0 THEN
    RAISE EXCEPTION 'months_ahead must be 0 or more, not %', months_ahead;
  END IF;
  -- One lock per schema, so that test schemas do not wait for each other.
  PERFORM pg_advisory_xact_lock(hashtext('clawbots.create_event_partitions:' || current_schema()));
  FOR i IN 0..months_ahead LOOP
    month_start := this_month + make_interval(months => i);
    low := month_start AT TIME ZONE 'UTC';
    high := (month_start + INTERVAL '1 month') AT TIME ZONE 'UTC';
    partition_name := 'events_' || to_char(month_start, 'YYYY_MM');
    CONTINUE WHEN to_regclass(quote_ident(current_schema()) || '.' || quote_ident(partition_name))
        IS NOT NULL;
    EXECUTE format('CREATE TABLE %I (LIKE events INCLUDING DEFAULTS INCLUDING CONSTRAINTS)',
                   partition_name);
    EXECUTE format('WITH moved AS (DELETE FROM events_default'
                   || ' WHERE created_at >= %L AND created_at < %L RETURNING *)'
                   || ' INSERT INTO %I SELECT * FROM moved', low, high, partition_name);
    EXECUTE format('ALTER TABLE events ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)',
                   partition_name, low, high);
    created := created + 1;
  END LOOP;
  RETURN created;
END;
$$;
