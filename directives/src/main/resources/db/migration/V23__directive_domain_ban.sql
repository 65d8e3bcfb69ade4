-- A RESTRICT that carries out a ban on a domain name (seed 002 art. 21): SUSPENDED — its use banned
-- for the period of the directive, three months at most — or ANNULLED — its registration annulled
-- and registering it again banned for a year from the directive's issue (domain_ban_until).
ALTER TABLE directive ADD COLUMN domain_ban VARCHAR(16);
ALTER TABLE directive ADD COLUMN domain_ban_until TIMESTAMP WITH TIME ZONE;
