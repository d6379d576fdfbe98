-- Sign-ins without a page: an app's authorization request answered from the person's single sign-on session
-- (Entra's non-interactive sign-ins, Auth0's silent authentication). Every earlier row was a sign-in on a page.
alter table sign_in_event add column interactive boolean not null default true;
