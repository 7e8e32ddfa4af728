"""What the clients of REST firmwares share (VNish, Braiins OS 25.07+): their REST API on the
web port (``rest_api``), a session token obtained with the miner's password, and the statuses a
detection probe reads as answers.

A ``SessionToken`` is the ``http.TokenAuth`` of such a firmware: it logs in when it holds no
token (or when the miner answered 401), keeps the token for the next requests, never shows it
(``repr``), and forgets it when the miner does (a reboot). Each firmware says how to log in and
how to send the token.

Only "not found" (HTTP 404, ``NotServedError``) says the REST API is not there (older firmware,
another web server): a client then reads the miner another way for a while. Any other failure
of a login or a read (500 or 503 while the firmware boots, 429, a garbled reply) is a failed
request, asked again at the next poll.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from typing import Final

from .errors import APIDecodeError, APIRefusalError, APIUnsupportedError
from .http import HTTPClient, HTTPReply, MinerHTTP
from .miner import Miner

#: Every status: a probe reads an error status as an answer ("not my firmware"), not an error.
ANY_STATUS: Final = range(100, 600)
#: "Not found": no such path on this web server.
HTTP_NOT_FOUND: Final = 404


class NotServedError(APIRefusalError):
    """The web server has no such path (HTTP 404): no REST API here, or not this part of
    it."""


def not_served(reply: HTTPReply) -> NotServedError:
    """The error of a 404 ``reply``."""
    return NotServedError(f"{reply.what} answered HTTP 404: no such REST API here")


class SessionToken(ABC):
    """A session token of one miner, obtained by ``login`` with its password."""

    def __init__(self, password: Callable[[], str | None]) -> None:
        """``password`` reads the client's current password."""
        self._password = password
        self._token: str | None = None

    def __repr__(self) -> str:
        """Never the token."""
        return f"{type(self).__name__}(token={'held' if self._token else 'none'})"

    def forget(self) -> None:
        """Drop the token (the miner rebooted: it forgot it)."""
        self._token = None

    async def headers(self, http: HTTPClient, *, renew: bool) -> Mapping[str, str]:
        """The token's headers, logging in first when there is none (or on 401)."""
        if renew or self._token is None:
            self._token = None
            self._token = await self.login(http)
        return self.authorization(self._token)

    def password(self, http: HTTPClient) -> str:
        """The password to log in with; ``APIUnsupportedError`` without one."""
        password = self._password()
        if password is None:
            raise APIUnsupportedError(f"{http.host}: this needs the miner's password")
        return password

    @abstractmethod
    async def login(self, http: HTTPClient) -> str:
        """Log in (``authenticate=False``): a new token, or the error that says why not."""

    @abstractmethod
    def authorization(self, token: str) -> Mapping[str, str]:
        """The headers that carry ``token``."""


def rest_api(miner: Miner, auth: SessionToken) -> MinerHTTP:
    """``miner``'s REST API on its web port: one exchange at a time with its other connections
    (``device_lock``), on its session, logged in by ``auth``."""
    return MinerHTTP(
        miner.host, miner.web_port, lock=miner.device_lock, session=miner.web_session, auth=auth
    )


def token_of(reply: HTTPReply) -> str:
    """The ``token`` of a login reply (never quoted in the error: it may be one)."""
    token = reply.json_object().get("token")
    if not isinstance(token, str) or not token:
        raise APIDecodeError(f"{reply.what}: no token in the reply")
    return token
