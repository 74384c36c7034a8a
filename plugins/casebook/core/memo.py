"""A function's results kept from one preview build to the next.

The preview rebuilds after every save; most inputs are the same as last
time. A ``Memo`` answers from the results of this build and the last one
and forgets, at ``next_build``, every input the last build did not ask
for, so it holds one build's worth and never answers for changed input
(its key is the input itself)."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class Memo(Generic[K, V]):
    def __init__(self, function: Callable[[K], V]):
        self.function = function
        self._last: dict[K, V] = {}
        self._now: dict[K, V] = {}
        self.made = 0  # results this build computed

    def read(self, key: K) -> V:
        found = self._now.get(key)
        if found is None:
            found = self._last.get(key)
            if found is None:
                found = self.function(key)
                self.made += 1
            self._now[key] = found
        return found

    def keep(self, key: K, value: V) -> None:
        """A result this build used without asking (its caller kept it):
        remembered for the next build like one it asked for."""
        self._now[key] = value

    def next_build(self) -> None:
        self._last, self._now, self.made = self._now, {}, 0
