-- The access token a refresh replaced stays valid at userinfo and introspection until it expires, while its family
-- lives and its newest tokens are not revoked, as it does for resource servers that check the JWT themselves
-- (TenantAuthorizationService.findInUse).
create table access_token_replaced (
    tenant_id         varchar(40) not null,
    token_sha256      varchar(64) not null,
    authorization_id  varchar(36) not null,
    expires_at        timestamp with time zone not null,
    primary key (tenant_id, token_sha256)
);
create index access_token_replaced_expiry on access_token_replaced (expires_at);
