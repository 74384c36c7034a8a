"""Casebook: a 清廉机关建设 case library built from Markdown entries.

The core modules (everything but ``plugin.py``) are plain Python and import
nothing from MkDocs or Material, so the library can move to another
generator by rewriting the adapter alone.
"""

__version__ = "0.1.0"
