-- The type each hit column's values have, as the job's pipeline declared it and the worker recorded it
-- in hits.json ("types"), tab-separated in the order of hit_columns: the hit pages are typed by the job's
-- own pipeline, an operator's too. NULL for hits merged before the worker recorded types.
ALTER TABLE finalization ADD COLUMN hit_types text;
