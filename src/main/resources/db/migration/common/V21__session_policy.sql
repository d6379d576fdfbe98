-- A tenant's single sign-on sessions: at most session_max_seconds from sign-in, and with session_idle_seconds (not 0)
-- no longer than that unused. Null: Foyer's defaults (24 hours, no idle timeout).
alter table tenant add column session_max_seconds integer;
alter table tenant add column session_idle_seconds integer;
