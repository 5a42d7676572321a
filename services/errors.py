"""Errors raised by the services' data layer; HTTP statuses are chosen only in the routes.

ServiceError
├── CouchUnavailable   the CouchDB-protocol server cannot be reached or timed out
├── Superseded         a concurrent login rotated the credentials after this one did
└── CouchError         the server answered with an unexpected status (status, error, reason)
    └── Conflict       409: the document changed since it was read
"""

from __future__ import annotations


class ServiceError(Exception):
    """Base of every error the services raise on purpose."""


class CouchUnavailable(ServiceError):
    """The CouchDB-protocol server cannot be reached or did not answer in time."""


class Superseded(ServiceError):
    """A concurrent login rotated the credentials after this one: that login is the active one."""


class CouchError(ServiceError):
    """The CouchDB-protocol server answered with an unexpected status."""

    def __init__(self, status: int, error: str, reason: str) -> None:
        super().__init__(f"{status} {error}: {reason}")
        self.status = status
        self.error = error
        self.reason = reason


class Conflict(CouchError):
    """A write lost a revision race (HTTP 409)."""
