"""Errors raised by the miner API client.

One base class, :class:`APIError`, so callers can catch everything the client raises; each
subclass says what happened, so a caller reacts to what it is (re-authenticate, raise a repair
issue, hide a control, drop a refused command) rather than to what it is not. The client raises
only subclasses.
"""

from __future__ import annotations

from collections.abc import Awaitable


class APIError(Exception):
    """The miner could not be reached, refused a command or sent an unreadable reply."""


class APIRefusalError(APIError):
    """The miner answered and said no: an error status ("invalid cmd", "E", a non-zero code,
    an HTTP error status). Says nothing about the connection or the password; a refused read
    can be dropped or worked around, a refused control is reported as such."""


class APIConnectionError(APIError):
    """Nothing usable came back: refused, timed out, reset or closed early."""


class APIDecodeError(APIError):
    """A reply arrived but could not be decoded even after repairing known firmware quirks."""


class RequestDroppedError(APIConnectionError):
    """The request went out on an open connection (TCP or HTTP), which the miner closed or
    reset before a whole reply: it may have acted on it (a reboot takes its API down at
    once)."""


class EmptyReplyError(APIDecodeError):
    """The miner answered with nothing where a reply was expected (an HTTP body, a TCP
    reply that is only cgminer's terminator or an empty frame)."""


class APIAuthError(APIError):
    """The miner rejected the password (Whatsminer privileged API, Antminer web API)."""


class APIPrivilegeDisabledError(APIError):
    """The miner's privileged API is switched off or locked (for example Whatsminer's
    "API disabled" setting), so controls cannot work until the owner enables it."""


class APIOTPRequiredError(APIPrivilegeDisabledError):
    """The firmware wants a one-time code from the owner's authenticator for controls (NerdOS
    with OTP enabled); a client holds no TOTP secret, so controls cannot work until the owner
    switches OTP off. Readings are unaffected."""


class APIUnsupportedError(APIError):
    """This firmware family has no such command or control."""


class APIWarning(UserWarning):
    """Something was skipped but the call still succeeded (for example an unsupported
    command dropped from a multicommand)."""


async def accept_dropped[T](control: Awaitable[T]) -> T | None:
    """``control``, a request that restarts the miner (a reboot; a restart of the mining
    software), which may go down before its answer is out: a request it received and then
    dropped (``RequestDroppedError``) or answered with nothing (``EmptyReplyError``) counts as
    accepted (None). One that never reached it (no connection, or a step before it that
    failed: ``before_control``), that timed out, or that it refused in words does not."""
    try:
        return await control
    except RequestDroppedError, EmptyReplyError:
        return None


async def before_control[T](step: Awaitable[T]) -> T:
    """``step``, a request a control needs first (a login, a token, a salt, a session): one
    dropped there is a plain ``APIConnectionError``, since the control itself never went out
    (``accept_dropped`` must not take it for the miner restarting)."""
    try:
        return await step
    except RequestDroppedError as err:
        raise APIConnectionError(str(err)) from err
