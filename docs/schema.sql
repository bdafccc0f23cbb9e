-- Orderly's schema, for reading and for creating it by hand: psql -f docs/schema.sql
-- The server and the store create and upgrade the schema themselves, through the versioned
-- migrations in order-persistence/src/main/resources/dev/orderly/persistence/migration/; this file
-- is those migrations in order, and SchemaScriptsTest fails when it drifts from them.
-- Sample data to load after it: docs/sample-data.sql.

-- Orderly schema, version 1: the orders table is both the store and the durable queue.
-- A released migration is never edited; later changes go into V2, V3, ...

create table orders (
    order_id         text collate "C" primary key,
    user_id          text not null,
    item_ids         text[] not null,
    total_amount     numeric(17, 2) not null check (total_amount >= 0),
    status           text not null
                     check (status in ('Pending', 'Processing', 'Completed', 'Failed', 'Cancelled')),
    attempts         integer not null default 0 check (attempts >= 0),
    created_at       timestamptz not null,
    updated_at       timestamptz not null,
    started_at       timestamptz,
    completed_at     timestamptz,
    next_attempt_at  timestamptz,
    last_error       text,
    processed_by     text,
    lease_expires_at timestamptz,
    check ((status = 'Pending') = (next_attempt_at is not null)),
    check ((status = 'Processing') = (lease_expires_at is not null))
);

-- What is claimable, earliest due first. Partial, so millions of finished orders never slow a claim.
create index orders_due on orders (next_attempt_at, created_at, order_id) where status = 'Pending';
-- Leases to take back when they expire.
create index orders_leases on orders (lease_expires_at) where status = 'Processing';
-- Listings, newest first, optionally per user or per status.
create index orders_newest on orders (created_at desc, order_id desc);
create index orders_by_user on orders (user_id, created_at desc, order_id desc);
create index orders_by_status on orders (status, created_at desc, order_id desc);

-- The claim index's head fills with dead entries as orders move on; measured here, claim throughput
-- halved until a VACUUM. Vacuum this table far more eagerly than the defaults.
alter table orders set (
    autovacuum_vacuum_scale_factor = 0.0,
    autovacuum_vacuum_threshold = 5000,
    autovacuum_vacuum_insert_scale_factor = 0.0,
    autovacuum_vacuum_insert_threshold = 20000,
    autovacuum_analyze_scale_factor = 0.02,
    autovacuum_vacuum_cost_delay = 0
);

-- Exact figures in O(1): statement-level triggers add each statement's net change to one of 64
-- counter rows, picked by the backend's pid, so concurrent writers rarely touch the same row and a
-- reader sums 64 rows instead of scanning the orders.
create table order_counters (
    shard             smallint primary key,
    pending           bigint not null default 0,
    processing        bigint not null default 0,
    completed         bigint not null default 0,
    failed            bigint not null default 0,
    cancelled         bigint not null default 0,
    processing_micros bigint not null default 0,
    started           bigint not null default 0,
    queue_wait_micros bigint not null default 0
);
insert into order_counters (shard) select generate_series(0, 63);

create function orderly_micros(from_time timestamptz, to_time timestamptz) returns bigint
    language sql immutable as
$$ select (extract(epoch from (to_time - from_time)) * 1000000)::bigint $$;

-- Adds the net change of one statement to this backend's counter row. Arrays of whole rows keep
-- one definition of the tally for inserts, updates and deletes.
create function orderly_tally(added orders[], removed orders[]) returns void
    language sql
    -- Triggers run with the writer's search_path; pin the one the schema was created under.
    set search_path from current as
$$
    with changes as (
        select status, created_at, started_at, completed_at, 1 as sign from unnest(added)
        union all
        select status, created_at, started_at, completed_at, -1 as sign from unnest(removed)
    ), totals as (
        select coalesce(sum(sign) filter (where status = 'Pending'), 0) as pending,
               coalesce(sum(sign) filter (where status = 'Processing'), 0) as processing,
               coalesce(sum(sign) filter (where status = 'Completed'), 0) as completed,
               coalesce(sum(sign) filter (where status = 'Failed'), 0) as failed,
               coalesce(sum(sign) filter (where status = 'Cancelled'), 0) as cancelled,
               coalesce(sum(sign * orderly_micros(created_at, completed_at))
                        filter (where status = 'Completed'), 0) as processing_micros,
               coalesce(sum(sign) filter (where started_at is not null), 0) as started,
               coalesce(sum(sign * orderly_micros(created_at, started_at))
                        filter (where started_at is not null), 0) as queue_wait_micros
          from changes
    )
    update order_counters c
       set pending = c.pending + t.pending,
           processing = c.processing + t.processing,
           completed = c.completed + t.completed,
           failed = c.failed + t.failed,
           cancelled = c.cancelled + t.cancelled,
           processing_micros = c.processing_micros + t.processing_micros,
           started = c.started + t.started,
           queue_wait_micros = c.queue_wait_micros + t.queue_wait_micros
      from totals t
     where c.shard = pg_backend_pid() % 64
       and (t.pending, t.processing, t.completed, t.failed, t.cancelled,
            t.processing_micros, t.started, t.queue_wait_micros) <> (0, 0, 0, 0, 0, 0, 0, 0)
$$;

create function orderly_count_inserts() returns trigger language plpgsql
    set search_path from current as
$$
begin
    perform orderly_tally(array(select n::orders from new_rows n), '{}'::orders[]);
    return null;
end
$$;

create function orderly_count_updates() returns trigger language plpgsql
    set search_path from current as
$$
begin
    perform orderly_tally(array(select n::orders from new_rows n), array(select o::orders from old_rows o));
    return null;
end
$$;

create function orderly_count_deletes() returns trigger language plpgsql
    set search_path from current as
$$
begin
    perform orderly_tally('{}'::orders[], array(select o::orders from old_rows o));
    return null;
end
$$;

create function orderly_reset_counters() returns trigger language plpgsql
    set search_path from current as
$$
begin
    update order_counters
       set pending = 0, processing = 0, completed = 0, failed = 0, cancelled = 0,
           processing_micros = 0, started = 0, queue_wait_micros = 0;
    return null;
end
$$;

create trigger orders_count_inserts after insert on orders
    referencing new table as new_rows
    for each statement execute function orderly_count_inserts();
create trigger orders_count_updates after update on orders
    referencing old table as old_rows new table as new_rows
    for each statement execute function orderly_count_updates();
create trigger orders_count_deletes after delete on orders
    referencing old table as old_rows
    for each statement execute function orderly_count_deletes();
create trigger orders_reset_counters after truncate on orders
    for each statement execute function orderly_reset_counters();

-- Orderly schema, version 2: the counting triggers aggregate their transition tables directly.
-- Version 1 turned every changed row into a composite value and arrays of them before counting;
-- measured here, that was 40 % of the database's work per order (its insert, claim and
-- completion). The figures kept are the same.

-- Adds one statement's net change to this backend's counter row; nothing when it changed nothing.
create function orderly_add_counts(
    add_pending numeric, add_processing numeric, add_completed numeric, add_failed numeric,
    add_cancelled numeric, add_processing_micros numeric, add_started numeric,
    add_queue_wait_micros numeric) returns void
    language sql
    -- Triggers run with the writer's search_path; pin the one the schema was created under.
    set search_path from current as
$$
    update order_counters c
       set pending = c.pending + add_pending,
           processing = c.processing + add_processing,
           completed = c.completed + add_completed,
           failed = c.failed + add_failed,
           cancelled = c.cancelled + add_cancelled,
           processing_micros = c.processing_micros + add_processing_micros,
           started = c.started + add_started,
           queue_wait_micros = c.queue_wait_micros + add_queue_wait_micros
     where c.shard = pg_backend_pid() % 64
       and (add_pending, add_processing, add_completed, add_failed, add_cancelled,
            add_processing_micros, add_started, add_queue_wait_micros) <> (0, 0, 0, 0, 0, 0, 0, 0)
$$;

-- The three triggers count the same way: each row of new_rows adds itself (sign 1), each row of
-- old_rows takes itself away (sign -1).
create or replace function orderly_count_inserts() returns trigger language plpgsql
    set search_path from current as
$$
begin
    perform orderly_add_counts(
               count(*) filter (where status = 'Pending'),
               count(*) filter (where status = 'Processing'),
               count(*) filter (where status = 'Completed'),
               count(*) filter (where status = 'Failed'),
               count(*) filter (where status = 'Cancelled'),
               coalesce(sum(orderly_micros(created_at, completed_at))
                        filter (where status = 'Completed'), 0),
               count(*) filter (where started_at is not null),
               coalesce(sum(orderly_micros(created_at, started_at))
                        filter (where started_at is not null), 0))
      from new_rows;
    return null;
end
$$;

create or replace function orderly_count_updates() returns trigger language plpgsql
    set search_path from current as
$$
begin
    perform orderly_add_counts(
               coalesce(sum(sign) filter (where status = 'Pending'), 0),
               coalesce(sum(sign) filter (where status = 'Processing'), 0),
               coalesce(sum(sign) filter (where status = 'Completed'), 0),
               coalesce(sum(sign) filter (where status = 'Failed'), 0),
               coalesce(sum(sign) filter (where status = 'Cancelled'), 0),
               coalesce(sum(sign * orderly_micros(created_at, completed_at))
                        filter (where status = 'Completed'), 0),
               coalesce(sum(sign) filter (where started_at is not null), 0),
               coalesce(sum(sign * orderly_micros(created_at, started_at))
                        filter (where started_at is not null), 0))
      from (select status, created_at, started_at, completed_at, 1 as sign from new_rows
            union all
            select status, created_at, started_at, completed_at, -1 as sign from old_rows) changes;
    return null;
end
$$;

create or replace function orderly_count_deletes() returns trigger language plpgsql
    set search_path from current as
$$
begin
    perform orderly_add_counts(
               -count(*) filter (where status = 'Pending'),
               -count(*) filter (where status = 'Processing'),
               -count(*) filter (where status = 'Completed'),
               -count(*) filter (where status = 'Failed'),
               -count(*) filter (where status = 'Cancelled'),
               -coalesce(sum(orderly_micros(created_at, completed_at))
                         filter (where status = 'Completed'), 0),
               -count(*) filter (where started_at is not null),
               -coalesce(sum(orderly_micros(created_at, started_at))
                         filter (where started_at is not null), 0))
      from old_rows;
    return null;
end
$$;

drop function orderly_tally(orders[], orders[]);
