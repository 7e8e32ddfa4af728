"""Errors raised by the miner API client.

One base class, :class:`APIError`, so callers can catch everything the client raises; the
subclasses exist where a caller must react differently (re-authenticate, raise a repair issue,
hide a control).
"""

from __future__ import annotations


class APIError(Exception):
    """The miner could not be reached, refused a command or sent an unreadable reply."""


class APIConnectionError(APIError):
    """Nothing usable came back: refused, timed out, reset or closed early."""


class APIDecodeError(APIError):
    """A reply arrived but could not be decoded even after repairing known firmware quirks."""


class APIAuthError(APIError):
    """The miner rejected the password (Whatsminer privileged API, Antminer web API)."""


class APIPrivilegeDisabledError(APIError):
    """The miner's privileged API is switched off or locked (for example Whatsminer's
    "API disabled" setting), so controls cannot work until the owner enables it."""


class APIUnsupportedError(APIError):
    """This firmware family has no such command or control."""


class APIWarning(UserWarning):
    """Something was skipped but the call still succeeded (for example an unsupported
    command dropped from a multicommand)."""
