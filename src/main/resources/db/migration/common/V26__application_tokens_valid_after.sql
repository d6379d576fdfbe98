-- An app's tokens issued before this moment are refused by introspection, userinfo and the admin API (Keycloak's
-- "not before" of a client): what an admin does when the app's secret has leaked. Null: none refused.
alter table application add column tokens_valid_after timestamp with time zone;

-- Revoking an app's tokens deletes its people's stored authorizations.
create index oauth2_authorization_client on oauth2_authorization (tenant_id, registered_client_id);
