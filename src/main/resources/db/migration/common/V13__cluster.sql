-- Many nodes on one database (docs/clustering.md).

-- One row per committed change to state that nodes cache in memory: which cache, which key, which node made it.
-- Every node polls this table (~200 ms) for rows that other nodes wrote, one range scan of changed_at. The row is
-- written in the changing transaction just before it commits, with the database's clock, so it becomes visible
-- with the change itself. Housekeeping deletes rows after an hour. Not written on the embedded H2 (one node).
create table cache_change (
    id          varchar(36)  primary key,
    cache_name  varchar(40)  not null,
    cache_key   varchar(200) not null,
    node_id     varchar(80)  not null,
    changed_at  timestamp with time zone not null
);
create index cache_change_changed_at on cache_change (changed_at);

-- Which node may run a scheduled job until when: a node claims a job by moving lease_until forward only where it
-- has passed, so each job runs on one node per interval.
create table job_lease (
    job          varchar(80)  primary key,
    holder       varchar(80)  not null,
    claimed_at   timestamp with time zone not null,
    lease_until  timestamp with time zone not null
);

-- The groundwork V1 laid for cache invalidation, never used: cache_change replaces it.
drop table config_version;
