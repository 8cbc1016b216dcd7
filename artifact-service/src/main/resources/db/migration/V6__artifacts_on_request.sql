-- Some artifacts (BLAST's own formats) are made only when first asked for. A request that comes while a
-- build runs is remembered here, so the build settles as due again rather than done, and the next
-- attempt makes what was asked for; a claim clears it.
ALTER TABLE finalization ADD COLUMN requested boolean NOT NULL DEFAULT false;
