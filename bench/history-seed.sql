-- :jobs finished jobs for ./aegis bench history (one million unless --jobs says otherwise, given as
-- psql -v jobs=N): a fifth belong to user 'bench', the rest to 997 other users; for a million, a year
-- of submissions (November 2025 to November 2026), 30 s apart; every 50th failed, every 70th cancelled.
-- Run against the benchmark stack's own database only. VACUUM, as autovacuum would after a million
-- inserts, also moves the text index's pending entries into the index proper.
INSERT INTO jobs.job (id, owner, name, file_name, pipeline, database_name, params, status, step, done, total,
                      sequence_count, residue_count, attempt, last_seq, error_code, steps, version,
                      created_at, started_at, finished_at, dispatched_at, updated_at)
SELECT gen_random_uuid(),
       CASE WHEN i % 5 = 0 THEN 'bench' ELSE 'user-' || (i % 997) END,
       'run ' || i,
       'queries-' || (i % 100) || '.fasta',
       'blast',
       CASE WHEN i % 3 = 0 THEN 'nt' ELSE 'demo' END,
       '{"program": "blastp"}',
       CASE WHEN i % 50 = 0 THEN 'FAILED' WHEN i % 70 = 0 THEN 'CANCELLED' ELSE 'SUCCEEDED' END,
       'finalize', 120, 120, 120, 30000, 1, 40,
       CASE WHEN i % 50 = 0 THEN 'TOOL_FAILED' END,
       '{"steps": []}', 1,
       t, t + interval '1 second', t + interval '10 seconds', t, t + interval '10 seconds'
FROM generate_series(1, :jobs) AS i,
     LATERAL (SELECT timestamptz '2025-11-01 00:00:00+00' + i * interval '30 seconds' AS t) AS at;
VACUUM ANALYZE jobs.job;
