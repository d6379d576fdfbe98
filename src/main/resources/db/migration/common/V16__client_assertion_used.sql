-- private_key_jwt client assertions already taken (OpenID Connect Core 9: each is used once). The primary key makes
-- the first use win on every node; a row lives until the assertion's exp (at most an hour away, plus the clock
-- skew), then housekeeping deletes it. The jti is stored as its SHA-256, so its length is the app's business.
create table client_assertion_used (
    tenant_id       varchar(40)  not null references tenant (id) on delete cascade,
    application_id  varchar(36)  not null,
    jti_sha256      varchar(64)  not null,
    expires_at      timestamp with time zone not null,
    primary key (tenant_id, application_id, jti_sha256)
);
create index client_assertion_used_expires_at on client_assertion_used (expires_at);
