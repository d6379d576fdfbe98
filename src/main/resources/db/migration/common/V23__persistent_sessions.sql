-- Whether a tenant's session cookie outlives the browser's session (closing the browser). Null: Foyer's default (no).
alter table tenant add column session_persistent boolean;
