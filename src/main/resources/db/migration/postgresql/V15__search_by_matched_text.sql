-- Admin search lists the accounts whose email or display name starts with the text in one order: by the email where
-- it matches, else by the display name (Accounts.search). Each page reads one index range per branch and stops after
-- the page, whatever the number of matches.
--
-- Byte order for the two search columns: a prefix is then one index range, LIKE 'ab%' uses the plain index (no
-- varchar_pattern_ops copy is needed), and every database orders and pages them alike whatever its locale.
drop index account_tenant_email_prefix;
drop index account_tenant_display_name;
drop index account_tenant_display_name_range;
alter table account alter column email_normalized type varchar(320) collate "C";
alter table account alter column display_name_lower type varchar(256) collate "C";
-- How many leading characters the email and the display name share, at most 8. A display-name match is listed at its
-- email when the email starts with the text too, that is when they share at least the text's length; so the
-- display-name branch reads, for each value below that length, an index range of its own in name order.
alter table account add column email_name_shared smallint generated always as (case
    when display_name_lower is null or left(email_normalized, 1) <> left(display_name_lower, 1) then 0
    when left(email_normalized, 2) <> left(display_name_lower, 2) then 1
    when left(email_normalized, 3) <> left(display_name_lower, 3) then 2
    when left(email_normalized, 4) <> left(display_name_lower, 4) then 3
    when left(email_normalized, 5) <> left(display_name_lower, 5) then 4
    when left(email_normalized, 6) <> left(display_name_lower, 6) then 5
    when left(email_normalized, 7) <> left(display_name_lower, 7) then 6
    when left(email_normalized, 8) <> left(display_name_lower, 8) then 7
    else 8 end) stored;
create index account_tenant_display_name on account (tenant_id, email_name_shared, display_name_lower, id);
