-- Housekeeping deletes the audit events older than foyer.audit.retention, oldest first, in slices.
create index audit_event_occurred on audit_event (occurred_at);
