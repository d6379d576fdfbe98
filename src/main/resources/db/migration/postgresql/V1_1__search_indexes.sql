-- Prefix search (LIKE 'abc%') uses a btree index only with pattern operators under a non-C collation.
create index account_tenant_email_prefix on account (tenant_id, email_normalized varchar_pattern_ops);
create index account_tenant_display_name on account (tenant_id, display_name_lower varchar_pattern_ops);
