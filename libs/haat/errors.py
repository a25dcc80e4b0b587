"""What a use case says when it refuses: a few framework-free kinds of refusal, each with a stable code.

Use cases and domain objects raise these (never HTTP statuses); each edge turns them into its own words:
the HTTP edge into an RFC 9457 problem with a status per kind (haat.problems), a Kafka consumer into a
dead letter with the reason, the command line into a message. The `code` is what clients and the pages
translate (it ends the problem's type URI); `extensions` are extra fields for the answer.
"""

from __future__ import annotations

from typing import Any, ClassVar


class DomainError(Exception):
    kind: ClassVar[str] = "invalid"

    def __init__(self, code: str, detail: str, **extensions: Any) -> None:
        super().__init__(detail)
        self.code = code
        self.detail = detail
        self.extensions = extensions

    @staticmethod
    def of_kind(kind: str, code: str, detail: str, **extensions: Any) -> DomainError:
        """A refusal of the named kind with a code of its own (NotFound's constructor makes its detail)."""
        error = Exception.__new__(KINDS.get(kind, Invalid))
        DomainError.__init__(error, code, detail, **extensions)
        return error


class NotFound(DomainError):
    """No such thing, or none the caller may see (the two are not told apart)."""

    kind = "not-found"

    def __init__(self, what: str, key: str, **extensions: Any) -> None:
        super().__init__("not-found", f"{what} {key!r} does not exist", **extensions)


class NotAllowed(DomainError):
    """The caller may not do this at all, whatever the data."""

    kind = "not-allowed"


class Conflict(DomainError):
    """Not now: the state of things forbids it (already exists, wrong step, not ready yet)."""

    kind = "conflict"


class Invalid(DomainError):
    """What was asked cannot be right, whatever the state (a wrong value, an unknown reference)."""

    kind = "invalid"


class TooLarge(DomainError):
    kind = "too-large"


class Malformed(DomainError):
    """The request itself cannot be read (a cursor or token that was never ours)."""

    kind = "malformed"


class Unavailable(DomainError):
    """A system this one depends on (a marketplace, another service) did not answer: try again later."""

    kind = "unavailable"


class TimedOut(Unavailable):
    kind = "timed-out"


KINDS: dict[str, type[DomainError]] = {
    cls.kind: cls for cls in (NotFound, NotAllowed, Conflict, Invalid, TooLarge, Malformed, Unavailable, TimedOut)
}
