-- Node outputs (issue 11): the typed results a node hands on to later nodes, kept apart from the request parameters
-- in dag.params, which nodes only read. A JSON object, a member per output; NULL until a node publishes one.
ALTER TABLE dag ADD COLUMN outputs TEXT NULL;
