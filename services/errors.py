"""Every error the services raise on purpose, in one tree. HTTP statuses are chosen only in the
API layer, from one table (services/api/errors.py ERROR_TABLE).

Our exception hierarchy:

* ServiceError            base of the errors a request or a worker may meet
  + CouchUnavailable      the CouchDB-protocol server cannot be reached or timed out
  + CouchError            the server answered with an unexpected status (status, error, reason)
    - Conflict            409: the document changed since it was read
  + Superseded            a concurrent login rotated the credentials after this one did
  + TokenRejected         a token cannot be used (`code`: invalid_token, device_replaced, ...)
  + SmsFailed             the SMS gateway did not take the message (never carries the code)
  + ChangeTaken           a scheduled phone change lost its new number to another account
  + Unsealable            a document's trustworthy revision cannot be known
  + IdempotencyConflict   a sale id is taken by a different sale
  + SaleNotOpen           the sale is invoiced already: nothing is due
  + PaymentIdTaken        a payment id belongs to a different payment
  + CreditIdTaken         a credit note id belongs to a different credit note
  + DocumentError         a write of a business document could not be made
    - DocumentInvalid     the rules refuse it (`problems`: field and message)
    - StaleRevision       it changed since the caller read it
    - AlreadyExists       a document with this id exists already
  + BackupIncomplete      a shop's copy to the backup server left documents behind
  + BodyTooLarge          a request body is over the limit (`limit`)
* ValueError              the caller's input or the environment is wrong
  + InvalidPhone          the text is not a valid phone number
  + BadCursor             a pagination cursor this service did not make
  + SettingsError         the environment does not describe a usable configuration
* RuntimeError            command-line and start-up tools
  + ClusterSetupError     a node refused a cluster set-up step
  + DistNotFound          no Apache CouchDB build where COUCHDB_DIST points
  + ServerStartError      a CouchDB server (embedded or Apache) did not start or answer
  + PackageDataMissing    the package's data (app build, design docs) are not plain files
  + RolloutError          the server refused a design doc
  + RestoreError          an export cannot be read back or the server refused its revisions

validators/ imports nothing from services/, so its errors live with it: NumberingError
(validators/numbering/), CompileError, PatternError and TwinError (the schema → VDU compilers),
all ValueError. Field validators of request bodies and settings raise plain ValueError, as
pydantic expects; it reports them as 422 `validation_failed` and SettingsError respectively.
"""

from __future__ import annotations


class ServiceError(Exception):
    """Base of every error the services raise on purpose."""


class CouchUnavailable(ServiceError):
    """The CouchDB-protocol server cannot be reached or did not answer in time."""


class CouchError(ServiceError):
    """The CouchDB-protocol server answered with an unexpected status."""

    def __init__(self, status: int, error: str, reason: str) -> None:
        super().__init__(f"{status} {error}: {reason}")
        self.status = status
        self.error = error
        self.reason = reason


class Conflict(CouchError):
    """A write lost a revision race (HTTP 409)."""


class Superseded(ServiceError):
    """A concurrent login rotated the credentials after this one: that login is the active one."""


class TokenRejected(ServiceError):
    """A token cannot be used; `code` says why (`invalid_token`, `device_replaced`, ...)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


class SmsFailed(ServiceError):
    """The gateway did not take the message; `detail` never contains the code."""

    def __init__(self, detail: str, *, refused: bool) -> None:
        super().__init__(detail)
        self.detail, self.refused = detail, refused


class ChangeTaken(ServiceError):
    """The new number was claimed by another account during the wait; the request is dropped."""


class Unsealable(ServiceError):
    """The document's trustworthy revision cannot be known; the owner has been told."""


class IdempotencyConflict(ServiceError):
    """The sale id is taken by a different sale."""


class SaleNotOpen(ServiceError):
    """The sale is invoiced already: nothing is due."""


class PaymentIdTaken(ServiceError):
    """The payment id belongs to a different payment."""


class CreditIdTaken(ServiceError):
    """The credit note id belongs to a different credit note."""


class DocumentError(ServiceError):
    """A write of a business document could not be made."""


class DocumentInvalid(DocumentError):
    """The rules refuse the document; `problems` names each field and what is wrong."""

    def __init__(self, problems: list[dict[str, str]]) -> None:
        super().__init__("; ".join(f"{p['field']}: {p['message']}" for p in problems))
        self.problems = problems


class StaleRevision(DocumentError):
    """The document changed since the caller read it."""


class AlreadyExists(DocumentError):
    """A document with this id exists already."""


class BackupIncomplete(ServiceError):
    """Some documents of a shop could not be written to the backup server; it is tried again."""


class BodyTooLarge(ServiceError):
    """A request body is over `limit` bytes (said by its Content-Length or found while reading)."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"request bodies are limited to {limit} bytes")
        self.limit = limit


class InvalidPhone(ValueError):
    """The text is not a valid phone number."""


class BadCursor(ValueError):
    """The cursor was not made by this service."""


class SettingsError(ValueError):
    """The environment does not describe a usable configuration."""


class ClusterSetupError(RuntimeError):
    """A node refused a step, or the cluster did not come out whole."""


class DistNotFound(RuntimeError):
    """No Apache CouchDB build where `COUCHDB_DIST` (or the default) points."""


class ServerStartError(RuntimeError):
    """A CouchDB server (the embedded one or Apache CouchDB) exited, is missing or never answered."""


class PackageDataMissing(RuntimeError):
    """The package is installed in a form whose data (app build, design docs) are not plain files."""


class RolloutError(RuntimeError):
    """The server refused a design doc or a database could not be updated."""


class RestoreError(RuntimeError):
    """An export cannot be read back, or the server refused some of its revisions."""
