"""Random sources.

All randomness of a selection comes from one :class:`RandomSource`. The default source is a
SHA-256 counter-mode generator keyed by an integer seed: it is cryptographically strong when the
seed is secret (seeds are drawn with :mod:`secrets` when none is given) and produces the same
stream on every machine and in every process, so any draw can be replayed from its seed.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import MutableSequence, Sequence
from typing import Protocol, TypeVar

T = TypeVar("T")

_DOMAIN = b"citizen.selection/v1"


class RandomSource(Protocol):
    """What the engine needs from a source of randomness."""

    def randbelow(self, n: int) -> int:
        """A uniform integer in ``[0, n)``."""
        ...

    def random(self) -> float:
        """A uniform float in ``[0, 1)`` with 53 random bits."""
        ...


class SeededRandom:
    """Deterministic, portable, cryptographically strong generator (SHA-256 in counter mode)."""

    def __init__(self, seed: int, stream: str = "") -> None:
        if seed < 0:
            raise ValueError("seed must be non-negative")
        self.seed = seed
        self.stream = stream
        self._key = hashlib.sha256(
            _DOMAIN + b"|" + stream.encode("utf-8") + b"|" + str(seed).encode("ascii")
        ).digest()
        self._counter = 0
        self._buffer = b""

    def _bytes(self, count: int) -> bytes:
        while len(self._buffer) < count:
            block = hashlib.sha256(self._key + self._counter.to_bytes(16, "big")).digest()
            self._counter += 1
            self._buffer += block
        out, self._buffer = self._buffer[:count], self._buffer[count:]
        return out

    def getrandbits(self, bits: int) -> int:
        nbytes = (bits + 7) // 8
        value = int.from_bytes(self._bytes(nbytes), "big")
        return value >> (nbytes * 8 - bits)

    def randbelow(self, n: int) -> int:
        if n <= 0:
            raise ValueError("n must be positive")
        bits = max(1, n.bit_length())
        while True:
            value = self.getrandbits(bits)
            if value < n:
                return value

    def random(self) -> float:
        return self.getrandbits(53) / float(1 << 53)

    def child(self, stream: str) -> SeededRandom:
        """An independent generator for a named purpose, derived from the same seed."""
        joined = f"{self.stream}/{stream}" if self.stream else stream
        return SeededRandom(self.seed, joined)


def new_seed() -> int:
    """A fresh secret seed (64 bits from the operating system's secure generator)."""
    return secrets.randbits(64)


def shuffle(items: MutableSequence[T], rng: RandomSource) -> None:
    """Fisher–Yates shuffle in place."""
    for i in range(len(items) - 1, 0, -1):
        j = rng.randbelow(i + 1)
        items[i], items[j] = items[j], items[i]


def sample(items: Sequence[T], count: int, rng: RandomSource) -> list[T]:
    """``count`` distinct items chosen uniformly, in draw order."""
    pool = list(items)
    if count > len(pool):
        raise ValueError("sample larger than population")
    for i in range(count):
        j = i + rng.randbelow(len(pool) - i)
        pool[i], pool[j] = pool[j], pool[i]
    return pool[:count]


def choose_index(weights: Sequence[float], rng: RandomSource) -> int:
    """An index drawn with probability proportional to ``weights`` (in the given order)."""
    total = float(sum(weights))
    if total <= 0:
        raise ValueError("weights must have a positive sum")
    target = rng.random() * total
    acc = 0.0
    last = 0
    for i, w in enumerate(weights):
        if w <= 0:
            continue
        last = i
        acc += w
        if target < acc:
            return i
    return last
