"""md5-crypt against published vectors (passlib's and glibc-compatible crypt3 suites)."""

from __future__ import annotations

import pytest

from custom_components.asic_miner.api.md5crypt import md5_crypt, md5_crypt_hash, normalize_salt

# (password, expected crypt string); the salt is taken from the expected string.
PUBLISHED_VECTORS = [
    # passlib's md5_crypt known_correct_hashes
    ("", "$1$dOHYPKoP$tnxS1T8Q6VVn3kpV8cN6o."),
    (" ", "$1$m/5ee7ol$bZn0kIBFipq39e.KDXX8I0"),
    ("test", "$1$ec6XvcoW$ghEtNK2U1MC5l.Dwgi3020"),
    ("Compl3X AlphaNu3meric", "$1$nX1e7EeI$ljQn72ZUgt6Wxd9hfvHdV0"),
    ("4lpHa N|_|M3r1K W/ Cur5Es: #$%(*)(*%#", "$1$jQS7o98J$V6iTcr71CGgwW2laf17pi1"),
    ("test", "$1$SuMrG47N$ymvzYjr7QcEQjaK5m1PGx1"),
    ("t\u00e1\u0411\u2113\u0259", "$1$d6/Ky1lU$/xpf8m7ftmWLF.TjHCqel0"),
    # crypt3-md5's suite (short salt, empty salt)
    ("test", "$1$abcdefgh$irWbblnpmw.5z7wgBnprh0"),
    ("P@$$w0rd", "$1$2137JP2$Gqv0v0q/pK3SEOA4tM4T8."),
    ("Not salty", "$1$$tTV.V7Z.p7hmyDcwERh1o1"),
]


@pytest.mark.parametrize(("password", "expected"), PUBLISHED_VECTORS)
def test_published_vectors(password: str, expected: str) -> None:
    """Each published hash is reproduced from its password and salt."""
    salt = expected.split("$")[2]
    assert md5_crypt(password, salt) == expected
    assert md5_crypt(password.encode(), salt) == expected
    assert md5_crypt_hash(password, salt) == expected.split("$")[3]


def test_salt_forms_are_equivalent() -> None:
    """``abc``, ``$1$abc`` and ``$1$abc$rest`` name the same salt; only 8 characters count."""
    expected = md5_crypt("admin", "BQ5hoXV9")
    assert md5_crypt("admin", "$1$BQ5hoXV9") == expected
    assert md5_crypt("admin", "$1$BQ5hoXV9$ignored") == expected
    assert md5_crypt("admin", "BQ5hoXV9toolong") == expected
    assert normalize_salt("$1$ab$cd") == "ab"


def test_long_password_spans_several_blocks() -> None:
    """Passwords longer than 16 bytes feed the alternate digest more than once."""
    # Expected value from `openssl passwd -1 -salt saltsalt xxxx…` (40 x).
    assert md5_crypt("x" * 40, "saltsalt") == "$1$saltsalt$lTT80f5GEB.8cfLv43D0D1"
    assert md5_crypt("x" * 39, "saltsalt") != md5_crypt("x" * 40, "saltsalt")
