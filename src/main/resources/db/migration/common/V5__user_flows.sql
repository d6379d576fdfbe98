-- User flows: what a tenant's customers go through (sign-up and sign-in, password reset, profile edit). An
-- application uses one flow of each kind; without one it uses the tenant's default (or Foyer's built-in default).
create table user_flow (
    id            varchar(36)   primary key,
    tenant_id     varchar(40)   not null references tenant (id) on delete cascade,
    kind          varchar(20)   not null,
    display_name  varchar(256)  not null,
    is_default    boolean       not null,
    config        varchar(100000) not null,
    created_at    timestamp with time zone not null,
    updated_at    timestamp with time zone not null
);
create index user_flow_tenant on user_flow (tenant_id, kind);
alter table application add column user_flow_id varchar(36);
