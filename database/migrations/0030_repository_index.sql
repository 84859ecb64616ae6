-- Repository index ("knowledge graph"): files -> symbols -> imports and references, per repository
-- and commit. A file version is keyed by its git blob hash, so a new commit re-parses only the
-- files whose content changed; a commit is the list of file versions it is made of.
CREATE TABLE repo_index_files (
  repo         text   NOT NULL,
  path         text   NOT NULL,
  content_hash text   NOT NULL,
  language     text   NOT NULL,
  symbols      jsonb  NOT NULL,
  imports      jsonb  NOT NULL,
  refs         jsonb  NOT NULL,
  indexed_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (repo, path, content_hash)
);

CREATE TABLE repo_index_commits (
  repo        text   NOT NULL,
  commit_sha  text   NOT NULL,
  -- [[path, content_hash], ...] of the parsed files in this commit.
  files       jsonb  NOT NULL,
  indexed_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (repo, commit_sha)
);
