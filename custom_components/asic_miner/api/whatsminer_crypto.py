"""Crypto of Whatsminer's privileged API (btminer API 2.x), shared by client and simulator.

The exchange, as MicroBT documents it:

1. ``get_token`` answers ``{"time": …, "salt": …, "newsalt": …}``.
2. ``pwd_hash`` is the hash part of ``md5_crypt(password, salt)``; the AES-256 key is
   ``sha256(pwd_hash)``.
3. The token signature is the hash part of ``md5_crypt(pwd_hash + time, newsalt)``.
4. A privileged request is ``{"cmd": …, "token": sign, …}`` as JSON, NUL-padded to the AES
   block size, AES-256-ECB encrypted, base64 encoded and sent as ``{"enc": 1, "data": …}``.
   The miner answers ``{"enc": "<base64>"}`` encrypted the same way.

ECB is the firmware's choice, not ours: the client has to speak it to be understood.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass, field
import hashlib

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from .errors import APIDecodeError
from .md5crypt import md5_crypt_hash

_BLOCK = 16


@dataclass(frozen=True, slots=True)
class Token:
    """What a privileged request needs: the signature and the AES key, both from one token.

    Both are secrets derived from the password: never in a repr (a log line or a traceback's
    locals show the token as ``Token()``)."""

    sign: str = field(repr=False)
    aes_key: bytes = field(repr=False)


def derive_key(password: str, salt: str) -> tuple[str, bytes]:
    """``(pwd_hash, aes_key)`` for the password and the token's ``salt``."""
    pwd_hash = md5_crypt_hash(password, salt)
    return pwd_hash, hashlib.sha256(pwd_hash.encode()).digest()


def sign_token(pwd_hash: str, time: str, newsalt: str) -> str:
    """The token signature the miner expects in the request's ``token`` field."""
    return md5_crypt_hash(pwd_hash + time, newsalt)


def make_token(password: str, time: str, salt: str, newsalt: str) -> Token:
    """Both halves of a token from a ``get_token`` reply; ``APIDecodeError`` when the reply's
    values or the password are no text md5-crypt can hash (a lone surrogate such as
    ``"\\ud800"`` is valid JSON but has no UTF-8 bytes)."""
    try:
        pwd_hash, aes_key = derive_key(password, salt)
        return Token(sign=sign_token(pwd_hash, time, newsalt), aes_key=aes_key)
    except UnicodeEncodeError:
        raise APIDecodeError(
            "the password or the get_token reply holds text that cannot be encoded"
        ) from None


def _cipher(aes_key: bytes) -> Cipher[modes.ECB]:
    return Cipher(algorithms.AES(aes_key), modes.ECB())  # noqa: S305  # the firmware's protocol


def encrypt(aes_key: bytes, plaintext: str) -> str:
    """NUL-pad to the block size, AES-256-ECB, base64 (no newlines), as btminer does."""
    data = plaintext.encode()
    data += b"\x00" * (-len(data) % _BLOCK)
    encryptor = _cipher(aes_key).encryptor()
    return base64.b64encode(encryptor.update(data) + encryptor.finalize()).decode("ascii")


def decrypt(aes_key: bytes, data: str) -> str:
    """Inverse of :func:`encrypt`; raises ``APIDecodeError`` when the data cannot be decrypted.

    A wrong key does not fail here by itself (ECB has no integrity check): it yields noise,
    which the caller notices as undecodable text or JSON.
    """
    try:
        raw = base64.b64decode(data.strip(), validate=False)
    except (binascii.Error, ValueError) as err:
        raise APIDecodeError(f"encrypted reply is not base64: {data[:40]!r}") from err
    if not raw or len(raw) % _BLOCK:
        raise APIDecodeError(f"encrypted reply has a partial AES block ({len(raw)} bytes)")
    decryptor = _cipher(aes_key).decryptor()
    plain = (decryptor.update(raw) + decryptor.finalize()).rstrip(b"\x00")
    try:
        return plain.decode()
    except UnicodeDecodeError as err:
        raise APIDecodeError("encrypted reply does not decrypt to text (wrong key?)") from err
