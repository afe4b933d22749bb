"""Named failures of the program (not of a disclosure: those are findings).

Each message says what failed, where, and what to do next. `RetryableError`s are the only
ones a retry can cure (network); everything else is terminal for that document.
"""

from __future__ import annotations


class YusuanError(Exception):
    """Base of every error this project raises on purpose."""


class ConfigError(YusuanError):
    """A configuration file is missing, malformed, or names an unknown key."""


class RetryableError(YusuanError):
    """A failure that may pass on retry: timeouts, 5xx, truncated bodies."""


class FetchError(YusuanError):
    """A source could not be fetched as a PDF (404, HTML instead of PDF, host not allowed)."""


class HTTPStatusError(FetchError):
    """The server answered with a 4xx status: no retry helps."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status

    def __reduce__(self) -> tuple[type, tuple[str, int]]:  # keep `status` across processes
        return (type(self), (str(self), self.status))


class DiscoveryError(YusuanError):
    """A portal's listing could not be read, or it listed nothing the portal config asks for."""


class ExtractionError(YusuanError):
    """A file is not a readable disclosure: corrupt, encrypted, scanned, unmapped fonts."""


class WarehouseLockedError(YusuanError):
    """Another process holds the warehouse's write lock."""


class SchemaError(YusuanError):
    """The warehouse file's schema does not match this code (newer file, or not yet upgraded)."""


class StagingError(YusuanError):
    """A staged document is incomplete or does not match the current schema."""


class NoDataError(YusuanError):
    """A flow was asked for something the warehouse does not hold."""
