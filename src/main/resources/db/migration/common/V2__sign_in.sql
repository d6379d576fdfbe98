-- Browser sign-in: single sign-on sessions, flow runs, sign-in failures (lockout) and the OAuth authorizations
-- Spring Authorization Server keeps. Every secret value (session cookie, authorization code, tokens) is stored
-- as a SHA-256 digest only.

-- Token settings per tenant, overridable per application (null = the tenant's).
alter table tenant add column access_token_seconds integer;
alter table tenant add column id_token_seconds integer;
alter table tenant add column refresh_sliding_seconds integer;
alter table tenant add column refresh_absolute_seconds integer;
alter table tenant add column access_token_algorithm varchar(10);
alter table application add column access_token_seconds integer;
alter table application add column id_token_seconds integer;
alter table application add column refresh_sliding_seconds integer;
alter table application add column refresh_absolute_seconds integer;
alter table application add column access_token_algorithm varchar(10);
alter table application add column jwks varchar(20000);

create table sso_session (
    id              varchar(36)  primary key,
    tenant_id       varchar(40)  not null references tenant (id) on delete cascade,
    account_id      varchar(36)  not null references account (id) on delete cascade,
    token_sha256    varchar(64)  not null,
    amr             varchar(100) not null,
    auth_time       timestamp with time zone not null,
    created_at      timestamp with time zone not null,
    last_seen_at    timestamp with time zone not null,
    expires_at      timestamp with time zone not null,
    ip_address      varchar(64),
    user_agent      varchar(512),
    constraint sso_session_token_unique unique (token_sha256)
);
create index sso_session_account on sso_session (tenant_id, account_id);
create index sso_session_expiry on sso_session (expires_at);

create table flow_run (
    id              varchar(36)   primary key,
    tenant_id       varchar(40)   not null references tenant (id) on delete cascade,
    kind            varchar(20)   not null,
    step            varchar(30)   not null,
    csrf_token      varchar(64)   not null,
    browser_sha256  varchar(64)   not null,
    return_to       varchar(8000),
    data            varchar(16000) not null,
    created_at      timestamp with time zone not null,
    updated_at      timestamp with time zone not null,
    expires_at      timestamp with time zone not null
);
create index flow_run_expiry on flow_run (expires_at);

-- Failed password sign-ins, keyed by a digest of the normalised email so that unknown addresses are throttled
-- exactly like known ones (no enumeration through lockout).
create table sign_in_failure (
    tenant_id   varchar(40)  not null,
    subject_key varchar(64)  not null,
    failed_at   timestamp with time zone not null
);
create index sign_in_failure_key on sign_in_failure (tenant_id, subject_key, failed_at);

create table oauth2_authorization (
    id                    varchar(36)   primary key,
    tenant_id             varchar(40)   not null references tenant (id) on delete cascade,
    registered_client_id  varchar(36)   not null,
    principal_name        varchar(200)  not null,
    grant_type            varchar(60)   not null,
    authorized_scopes     varchar(2000),
    attributes            varchar(40000),
    state_sha256          varchar(64),
    code_sha256           varchar(64),
    code_issued_at        timestamp with time zone,
    code_expires_at       timestamp with time zone,
    code_metadata         varchar(8000),
    access_sha256         varchar(64),
    access_issued_at      timestamp with time zone,
    access_expires_at     timestamp with time zone,
    access_metadata       varchar(16000),
    refresh_sha256        varchar(64),
    refresh_issued_at     timestamp with time zone,
    refresh_expires_at    timestamp with time zone,
    refresh_metadata      varchar(8000),
    id_token_sha256       varchar(64),
    id_token_issued_at    timestamp with time zone,
    id_token_expires_at   timestamp with time zone,
    id_token_metadata     varchar(16000),
    session_id            varchar(36),
    family_created_at     timestamp with time zone not null
);
create index oauth2_authorization_state on oauth2_authorization (state_sha256);
create index oauth2_authorization_code on oauth2_authorization (code_sha256);
create index oauth2_authorization_access on oauth2_authorization (access_sha256);
create index oauth2_authorization_refresh on oauth2_authorization (refresh_sha256);
create index oauth2_authorization_id_token on oauth2_authorization (id_token_sha256);
create index oauth2_authorization_principal on oauth2_authorization (tenant_id, principal_name);
create index oauth2_authorization_session on oauth2_authorization (session_id);

-- Refresh tokens already exchanged: presenting one again is reuse, and revokes its whole family.
create table refresh_token_used (
    token_sha256      varchar(64) primary key,
    authorization_id  varchar(36) not null,
    tenant_id         varchar(40) not null,
    used_at           timestamp with time zone not null
);
create index refresh_token_used_authorization on refresh_token_used (authorization_id);
