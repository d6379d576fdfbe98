-- Display-name prefix search orders its matches by email: with email and id in the index, a short prefix that
-- matches thousands of accounts is sorted from the index alone, and only the page's rows are read.
create index account_tenant_display_email on account (tenant_id, display_name_lower, email_normalized, id);
