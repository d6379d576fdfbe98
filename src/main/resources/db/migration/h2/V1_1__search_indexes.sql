create index account_tenant_display_name on account (tenant_id, display_name_lower);
