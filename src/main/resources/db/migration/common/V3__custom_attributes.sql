-- Custom attributes a tenant declares, and their values per account. Values are stored in a canonical text form
-- (true/false, decimal integers, ISO dates), one row per value (multi-select attributes have several), so that
-- exact-value search is an index look-up.
create table custom_attribute (
    id              varchar(36)   primary key,
    tenant_id       varchar(40)   not null references tenant (id) on delete cascade,
    name            varchar(64)   not null,
    label           varchar(256)  not null,
    description     varchar(1024),
    data_type       varchar(20)   not null,
    input_control   varchar(20)   not null,
    required        boolean       not null,
    max_length      integer,
    pattern         varchar(500),
    allowed_values  varchar(20000),
    created_at      timestamp with time zone not null,
    updated_at      timestamp with time zone not null,
    constraint custom_attribute_name_unique unique (tenant_id, name)
);

create table account_attribute (
    account_id    varchar(36)  not null references account (id) on delete cascade,
    attribute_id  varchar(36)  not null references custom_attribute (id) on delete cascade,
    tenant_id     varchar(40)  not null,
    attr_value    varchar(250) not null,
    primary key (account_id, attribute_id, attr_value)
);
create index account_attribute_value on account_attribute (tenant_id, attribute_id, attr_value);
