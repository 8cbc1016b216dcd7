-- History text search (q: a case-insensitive substring of the name or file name) through a trigram
-- index instead of reading the user's history until a page is full: 502 ms p99 for a rare term at
-- 1M jobs before. pg_trgm indexes ILIKE '%term%' (its trigrams are case-folded); btree_gin puts the
-- owner into the same GIN index, so a term common among other users' jobs but rare among the
-- caller's is intersected inside the index rather than fetched from the table and thrown away.
-- Both extensions are trusted (PostgreSQL 13+): the database's owner may create them. They live in
-- this service's schema and go with it.
CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA jobs;
CREATE EXTENSION IF NOT EXISTS btree_gin WITH SCHEMA jobs;

CREATE INDEX job_owner_text ON job USING gin (owner, name gin_trgm_ops, file_name gin_trgm_ops);
