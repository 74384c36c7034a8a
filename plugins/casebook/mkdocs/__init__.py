"""The MkDocs adapter: the plugin that maps the core onto MkDocs events, the
Material-specific parts (offline scrubbing, template overrides) and the
browser assets. The only package that imports mkdocs or material."""
