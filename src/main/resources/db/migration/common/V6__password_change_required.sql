-- Set when an admin gives an account a temporary password: the next sign-in must choose a new one.
alter table account add column password_change_required boolean default false not null;
