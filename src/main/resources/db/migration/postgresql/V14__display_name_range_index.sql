-- Admin search by display-name prefix, as a prepared statement: PostgreSQL's generic plan compares with the plain
-- >= and < operators, which the varchar_pattern_ops index of V1_1 cannot serve (only a custom plan turns LIKE into
-- its ~>=~ operators). Without an index for those operators the generic plan walked the tenant in email order,
-- 0.8 s at a million accounts. H2 has no generic plans and needs nothing.
create index account_tenant_display_name_range on account (tenant_id, display_name_lower);
