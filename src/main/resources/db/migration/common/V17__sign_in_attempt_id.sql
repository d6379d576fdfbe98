-- A password sign-in is counted as a failure when it starts, before its (slow) password check, so that a burst of
-- attempts posted at once cannot all pass the lockout check; the row names its attempt so that the attempt can
-- withdraw it when it was refused or ended without checking the password. Rows from before have none.
alter table sign_in_failure add column attempt_id varchar(36);
