"""Typed errors raised by the library.

Every error a user can cause or fix carries a one-line message that says what went wrong
and what to do next; the CLI prints ``str(error)`` and exits non-zero, never a traceback.

    AnalyzerError
    ├── ConfigError            config.toml is unreadable, has an unknown key or a wrong type
    ├── AuthError              no token, or GitHub rejected it (401)
    ├── AccessError            403: SSO/SAML enforcement, missing scope, forbidden
    ├── NotFoundError          404: org or repository does not exist (or the token cannot see it)
    ├── ConnectionFailed       base URL unreachable
    ├── RateLimitWaitTooLong   the next request would need a wait longer than --max-wait
    ├── CollectionError        the API misbehaved after all retries
    ├── StoreError             the SQLite store is missing, corrupt or from a newer version
    ├── NoDataError            nothing to score or report (e.g. empty org, empty store)
    ├── OutputError            an output cannot be written (a folder, under a file, read-only, disk full)
    └── CalibrationError       a labelled CSV is unusable
"""

from __future__ import annotations


class AnalyzerError(Exception):
    """Base class: a user-facing failure with a one-line, actionable message."""

    exit_code = 1


class ConfigError(AnalyzerError):
    exit_code = 2


class AuthError(AnalyzerError):
    exit_code = 3


class AccessError(AnalyzerError):
    exit_code = 3


class NotFoundError(AnalyzerError):
    exit_code = 4


class ConnectionFailed(AnalyzerError):
    exit_code = 5


class RateLimitWaitTooLong(AnalyzerError):
    exit_code = 6

    def __init__(self, message: str, wait_seconds: float) -> None:
        super().__init__(message)
        self.wait_seconds = wait_seconds


class CollectionError(AnalyzerError):
    exit_code = 7


class StoreError(AnalyzerError):
    exit_code = 8


class NoDataError(AnalyzerError):
    exit_code = 9


class OutputError(AnalyzerError):
    exit_code = 10


class CalibrationError(AnalyzerError):
    exit_code = 2
