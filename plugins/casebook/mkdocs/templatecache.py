"""Compiled templates kept between the preview's rebuilds.

MkDocs makes a new Jinja environment for every build, so every rebuild
compiled the theme's and Casebook's templates again (about 40, most of a
second). This cache keeps their compiled code in memory. Jinja's own
bucket checks make it safe: a template is found by its name and file, and
its code is used only when the checksum of its current source is the one
it was compiled from, so an edited template is compiled again. Code is
also compiled under the environment's settings (autoescaping, delimiters,
extensions ...): it is used only by an environment with the same ones.
"""

from __future__ import annotations

from jinja2 import BytecodeCache
from jinja2.bccache import Bucket


def _settings(env) -> tuple:
    """What the compiler reads from the environment. Kept as objects (the
    autoescape function itself), so a new function is never taken for the
    old one."""
    return (env.autoescape, env.finalize, env.optimized, env.is_async, env.block_start_string, env.block_end_string,
            env.variable_start_string, env.variable_end_string, env.comment_start_string, env.comment_end_string,
            env.line_statement_prefix, env.line_comment_prefix, env.trim_blocks, env.lstrip_blocks,
            env.newline_sequence, env.keep_trailing_newline, tuple(sorted(env.extensions)),
            tuple(sorted(env.filters)), tuple(sorted(env.tests)))


class CompiledTemplates(BytecodeCache):
    """One per preview session; set as each build's ``env.bytecode_cache``."""

    def __init__(self):
        self._code: dict[str, tuple[tuple, bytes]] = {}  # bucket key -> (settings, bytecode)
        self.loaded = 0  # templates this session took from the cache, for tests

    def load_bytecode(self, bucket: Bucket) -> None:
        found = self._code.get(bucket.key)
        if found is not None and found[0] == _settings(bucket.environment):
            bucket.bytecode_from_string(found[1])  # Jinja drops it when the source's checksum differs
            if bucket.code is not None:
                self.loaded += 1

    def dump_bytecode(self, bucket: Bucket) -> None:
        self._code[bucket.key] = (_settings(bucket.environment), bucket.bytecode_to_string())
