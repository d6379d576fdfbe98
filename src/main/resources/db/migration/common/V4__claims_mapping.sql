-- Which built-in or custom attributes an application receives in which claims of its ID and access tokens.
alter table application add column claims_mapping varchar(20000);
