-- OpenID Connect Back-Channel Logout 1.0: where a web app wants to hear that a person's session ended, and which
-- apps each single sign-on session signed in, so that its end reaches them (protocol.BackChannelLogout).
alter table application add column backchannel_logout_uri varchar(2000);

create table sso_session_app (
    session_id      varchar(36) not null references sso_session (id) on delete cascade,
    application_id  varchar(36) not null references application (id) on delete cascade,
    tenant_id       varchar(40) not null,
    primary key (session_id, application_id)
);
create index sso_session_app_application on sso_session_app (application_id);
