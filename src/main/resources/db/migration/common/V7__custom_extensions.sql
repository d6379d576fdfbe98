-- Custom authentication extensions (REST APIs Foyer calls during sign-in, with Entra External ID's contract) and
-- the event listeners that attach them to events, all apps or chosen ones. Both keep their Microsoft Graph body.
create table custom_extension (
    id            varchar(36)     primary key,
    tenant_id     varchar(40)     not null references tenant (id) on delete cascade,
    odata_type    varchar(100)    not null,
    definition    varchar(100000) not null,
    created_at    timestamp with time zone not null,
    updated_at    timestamp with time zone not null
);
create index custom_extension_tenant on custom_extension (tenant_id);

create table event_listener (
    id            varchar(36)     primary key,
    tenant_id     varchar(40)     not null references tenant (id) on delete cascade,
    odata_type    varchar(100)    not null,
    extension_id  varchar(36)     not null references custom_extension (id) on delete cascade,
    definition    varchar(100000) not null,
    created_at    timestamp with time zone not null
);
create index event_listener_tenant on event_listener (tenant_id, odata_type);
