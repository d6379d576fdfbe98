-- A browser that signed in with an address before counts its failures apart from the address's shared count
-- (signin.KnownBrowsers): browser holds a digest of its id there, and is null in the shared count. The rows of one
-- address, whatever their browser, are still found by (tenant_id, subject_key), so a success clears them all.
alter table sign_in_failure add column browser varchar(32);
