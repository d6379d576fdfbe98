-- As postgresql/V15 (the admin search by the text that matched). H2 compares strings by their UTF-16 units already,
-- whatever the locale, and its computed columns take no STORED.
drop index account_tenant_display_name;
alter table account add column email_name_shared smallint generated always as (case
    when display_name_lower is null or left(email_normalized, 1) <> left(display_name_lower, 1) then 0
    when left(email_normalized, 2) <> left(display_name_lower, 2) then 1
    when left(email_normalized, 3) <> left(display_name_lower, 3) then 2
    when left(email_normalized, 4) <> left(display_name_lower, 4) then 3
    when left(email_normalized, 5) <> left(display_name_lower, 5) then 4
    when left(email_normalized, 6) <> left(display_name_lower, 6) then 5
    when left(email_normalized, 7) <> left(display_name_lower, 7) then 6
    when left(email_normalized, 8) <> left(display_name_lower, 8) then 7
    else 8 end);
create index account_tenant_display_name on account (tenant_id, email_name_shared, display_name_lower, id);
