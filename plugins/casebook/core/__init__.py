"""The content model and everything derived from it, free of MkDocs and of
any command line: fields, vocabularies, loading and checking entries,
taxonomy, related entries, the site plan, statistics and compilations."""
