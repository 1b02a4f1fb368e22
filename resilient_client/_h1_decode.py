"""Response body decoding of the ``transport="httptools"`` send step: gzip and deflate,
in pieces of at most ``_PIECE`` bytes, so a gzip bomb is stopped at the size cap (which
counts decoded bytes) without ever being inflated whole."""

from __future__ import annotations

import zlib
from collections.abc import Iterator

import httpx

#: the most a decompressor is asked for at a time: what a small input may inflate to
_PIECE = 64 * 1024


class Decoder:
    """A gzip or deflate body decoded in pieces of at most ``_PIECE`` bytes."""

    __slots__ = ("_deflate", "_started", "_zlib")

    def __init__(self, encoding: str) -> None:
        self._deflate = encoding == "deflate"
        # deflate is meant to be zlib-wrapped, but some servers send it raw (as httpx,
        # try the wrapper first and fall back on the first bytes)
        self._zlib = zlib.decompressobj(zlib.MAX_WBITS | (16 if not self._deflate else 0))
        self._started = False

    def pieces(self, data: bytes) -> Iterator[bytes]:
        """The decoded bytes of ``data``, one piece at a time: a caller that stops at
        its cap never has more than a piece of a bomb inflated."""
        try:
            while data:
                try:
                    piece = self._zlib.decompress(data, _PIECE)
                except zlib.error:
                    if not self._deflate or self._started:
                        raise
                    self._zlib = zlib.decompressobj(-zlib.MAX_WBITS)
                    piece = self._zlib.decompress(data, _PIECE)
                self._started = True
                if piece:
                    yield piece
                data = self._zlib.unconsumed_tail
                if not piece and not data:
                    break
        except zlib.error as exc:
            raise httpx.DecodingError(f"the response body does not decode: {exc}") from None

    def flush(self) -> bytes:
        try:
            return self._zlib.flush()
        except zlib.error as exc:
            raise httpx.DecodingError(f"the response body does not decode: {exc}") from None


def decoder_for(encoding: str | None) -> Decoder | None:
    """The decoder of a ``Content-Encoding``; None for identity or an encoding this
    transport did not ask for (the bytes are handed over as received, as httpx does)."""
    if encoding is None:
        return None
    codings = [c.strip().lower() for c in encoding.split(",") if c.strip()]
    codings = [c for c in codings if c != "identity"]
    if not codings:
        return None
    if len(codings) > 1:
        raise httpx.DecodingError(f"stacked content codings are not supported: {encoding}")
    if codings[0] in ("gzip", "x-gzip", "deflate"):
        return Decoder("deflate" if codings[0] == "deflate" else "gzip")
    return None
