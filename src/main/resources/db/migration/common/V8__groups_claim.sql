-- Which security groups an app's tokens carry: null (none), 'ids' or 'names'.
alter table application add column groups_claim varchar(10);
