-- App roles an application defines (JSON list), and their assignments to users, groups and service applications.
alter table application add column app_roles varchar(100000);

create table app_role_assignment (
    id              varchar(36)  primary key,
    tenant_id       varchar(40)  not null references tenant (id) on delete cascade,
    application_id  varchar(36)  not null references application (id) on delete cascade,
    app_role_id     varchar(36)  not null,
    principal_type  varchar(20)  not null,
    principal_id    varchar(36)  not null,
    created_at      timestamp with time zone not null,
    constraint app_role_assignment_unique unique (tenant_id, application_id, app_role_id, principal_type, principal_id)
);
create index app_role_assignment_principal on app_role_assignment (tenant_id, principal_id);
