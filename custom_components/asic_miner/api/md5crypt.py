"""MD5-crypt (the ``$1$`` scheme of FreeBSD/glibc ``crypt(3)``).

Whatsminer's privileged API derives its AES key and token signature from md5-crypt, which
left the Python standard library with the ``crypt`` module (removed in 3.13). This is a
from-scratch implementation of Poul-Henning Kamp's published algorithm; it is checked against
the published passlib/glibc test vectors in ``tests/api/test_md5crypt.py``.
"""

from __future__ import annotations

import hashlib

MAGIC = "$1$"
#: crypt(3)'s base-64 alphabet (not RFC 4648's).
_ALPHABET = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_MAX_SALT = 8
_ROUNDS = 1000
#: Byte triples of the final digest, in the order crypt(3) encodes them.
_GROUPS = ((0, 6, 12), (1, 7, 13), (2, 8, 14), (3, 9, 15), (4, 10, 5))


def _md5(*parts: bytes) -> bytes:
    digest = hashlib.md5(usedforsecurity=False)
    for part in parts:
        digest.update(part)
    return digest.digest()


def _encode(value: int, chars: int) -> str:
    """Little-end-first 6-bit groups, as crypt(3)'s ``to64``."""
    out = []
    for _ in range(chars):
        out.append(_ALPHABET[value & 0x3F])
        value >>= 6
    return "".join(out)


def normalize_salt(salt: str) -> str:
    """Accept ``abc``, ``$1$abc`` or ``$1$abc$…``; keep at most 8 characters, as crypt(3)."""
    salt = salt.removeprefix(MAGIC)
    return salt.split("$", 1)[0][:_MAX_SALT]


def md5_crypt(password: str | bytes, salt: str) -> str:
    """The full ``$1$<salt>$<22 chars>`` string for ``password`` (UTF-8 when ``str``)."""
    secret = password.encode() if isinstance(password, str) else password
    salt = normalize_salt(salt)
    salt_bytes = salt.encode()

    alternate = _md5(secret, salt_bytes, secret)
    context = hashlib.md5(secret + MAGIC.encode() + salt_bytes, usedforsecurity=False)
    remaining = len(secret)
    while remaining > 0:
        context.update(alternate[: min(16, remaining)])
        remaining -= 16
    length = len(secret)
    while length:
        # The original implementation's famous oddity: a NUL for set bits, the first
        # password byte for clear bits.
        context.update(b"\x00" if length & 1 else secret[:1])
        length >>= 1
    digest = context.digest()

    for round_ in range(_ROUNDS):
        parts = [secret if round_ & 1 else digest]
        if round_ % 3:
            parts.append(salt_bytes)
        if round_ % 7:
            parts.append(secret)
        parts.append(digest if round_ & 1 else secret)
        digest = _md5(*parts)

    encoded = "".join(
        _encode((digest[a] << 16) | (digest[b] << 8) | digest[c], 4) for a, b, c in _GROUPS
    )
    encoded += _encode(digest[11], 2)
    return f"{MAGIC}{salt}${encoded}"


def md5_crypt_hash(password: str | bytes, salt: str) -> str:
    """Only the 22-character hash part (what Whatsminer's protocol uses)."""
    return md5_crypt(password, salt).rsplit("$", 1)[1]
