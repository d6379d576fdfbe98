-- Every call to a custom authentication extension, for admins (never a request or answer body); kept 30 days.
create table extension_call (
    id              varchar(36)  primary key,
    tenant_id       varchar(40)  not null references tenant (id) on delete cascade,
    extension_id    varchar(36)  not null,
    event           varchar(40)  not null,
    started_at      timestamp with time zone not null,
    duration_ms     integer      not null,
    succeeded       boolean      not null,
    http_status     integer,
    error_code      integer,
    attempts        integer      not null,
    correlation_id  varchar(36)  not null
);
create index extension_call_extension on extension_call (tenant_id, extension_id, started_at);
create index extension_call_started on extension_call (started_at);
