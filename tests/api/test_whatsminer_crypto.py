"""Whatsminer privileged-API crypto, checked against values computed independently with the
OpenSSL command line (``openssl passwd -1`` for md5-crypt, ``openssl enc -aes-256-ecb
-nopad`` on the NUL-padded JSON), i.e. exactly the recipe MicroBT documents."""

from __future__ import annotations

import base64

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from hypothesis import given, strategies as st
import pytest

from custom_components.asic_miner.api.errors import APIDecodeError
from custom_components.asic_miner.api.whatsminer_crypto import (
    decrypt,
    derive_key,
    encrypt,
    make_token,
    sign_token,
)

# get_token reply of the form {"time": "8962", "salt": "BQ5hoXV9", "newsalt": "PGaXMGQ8"}
# with the factory password "admin".
PWD_HASH = "RxmaDUO33TS7O26yeMHZ81"
AES_KEY_HEX = "199e0a202039bb7b558db7a54697dca29cb278055b7e659a127fb844d5a2fbf6"
SIGN = "WSdZ6JOEdvF33h3LVEYH7."
PLAINTEXT = '{"cmd": "reboot", "token": "WSdZ6JOEdvF33h3LVEYH7."}'
CIPHERTEXT = (
    "DcyTG412zG4o6HOvecGnhyiv9pvepIOBh208sCQrK1Ekap0RaOziGkNPXN8mzLCHybH9qgdxHd+NGLgyTJ3wXg=="
)


def test_key_and_signature_match_openssl() -> None:
    """pwd_hash, AES key and token signature are the documented derivations."""
    pwd_hash, key = derive_key("admin", "BQ5hoXV9")
    assert pwd_hash == PWD_HASH
    assert key.hex() == AES_KEY_HEX
    assert sign_token(pwd_hash, "8962", "PGaXMGQ8") == SIGN
    token = make_token("admin", "8962", "BQ5hoXV9", "PGaXMGQ8")
    assert token.sign == SIGN
    assert token.aes_key == key


def test_encrypt_matches_openssl_and_round_trips() -> None:
    """NUL padding + AES-256-ECB + base64 equals OpenSSL's output; decrypt undoes it."""
    key = bytes.fromhex(AES_KEY_HEX)
    assert encrypt(key, PLAINTEXT) == CIPHERTEXT
    assert decrypt(key, CIPHERTEXT) == PLAINTEXT


@given(st.text(min_size=1, max_size=200).filter(lambda text: not text.endswith("\x00")))
def test_round_trip_any_text(text: str) -> None:
    """Every non-empty text (not itself ending in NUL padding) survives a round trip."""
    key = bytes.fromhex(AES_KEY_HEX)
    assert decrypt(key, encrypt(key, text)) == text


def test_wrong_key_is_a_decode_error_or_noise() -> None:
    """ECB has no integrity check: a wrong key never gives back the plaintext."""
    _, wrong = derive_key("wrong", "BQ5hoXV9")
    try:
        result = decrypt(wrong, CIPHERTEXT)
    except APIDecodeError:
        return
    assert result != PLAINTEXT


@pytest.mark.parametrize(
    "data",
    [
        "not base64 at all!",  # invalid characters are dropped -> partial block
        base64.b64encode(b"short").decode(),  # not a whole AES block
        "",
    ],
)
def test_malformed_ciphertext_is_decode_error(data: str) -> None:
    """Anything that is not whole AES blocks of base64 is an APIDecodeError."""
    with pytest.raises(APIDecodeError):
        decrypt(bytes.fromhex(AES_KEY_HEX), data)


def test_incorrect_padding_is_decode_error() -> None:
    """base64 with broken padding is reported, not raised as binascii.Error."""
    with pytest.raises(APIDecodeError, match="base64"):
        decrypt(bytes.fromhex(AES_KEY_HEX), "abc")


def test_undecodable_plaintext_is_decode_error() -> None:
    """Bytes that are not UTF-8 after decryption (a wrong key, typically) are reported."""
    key = bytes.fromhex(AES_KEY_HEX)
    encryptor = Cipher(algorithms.AES(key), modes.ECB()).encryptor()
    blob = encryptor.update(b"\xff" * 16) + encryptor.finalize()
    with pytest.raises(APIDecodeError, match="wrong key"):
        decrypt(key, base64.b64encode(blob).decode())


def test_token_repr_hides_its_secrets() -> None:
    """A token in a log line or a traceback shows neither its signature nor its AES key."""
    token = make_token("admin", "8962", "BQ5hoXV9", "PGaXMGQ8")
    shown = f"{token!r} {token!s}"
    assert SIGN not in shown
    assert token.aes_key.hex() not in shown
    assert repr(token.aes_key) not in shown
    assert shown.startswith("Token()")


@pytest.mark.parametrize("field", ["time", "salt", "newsalt"])
def test_token_of_text_without_bytes_is_a_decode_error(field: str) -> None:
    """A ``get_token`` value with a lone surrogate (valid JSON: ``"\\ud800"``) has no UTF-8
    bytes to hash: an ``APIDecodeError``, never a ``UnicodeEncodeError``."""
    values = {"time": "8962", "salt": "BQ5hoXV9", "newsalt": "PGaXMGQ8", field: "ab\ud800"}
    with pytest.raises(APIDecodeError, match="cannot be encoded"):
        make_token("admin", values["time"], values["salt"], values["newsalt"])
    with pytest.raises(APIDecodeError, match="cannot be encoded"):
        make_token("ad\udc80min", "8962", "BQ5hoXV9", "PGaXMGQ8")  # a password alike
