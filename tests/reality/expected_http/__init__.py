"""What a person reads off each ``../shared/captures/http`` folder: one module per folder, named
as the folder, with ``FAMILY``, ``READS`` (see ``tests.reality.captures.assert_reads``) and
optionally ``EXTRA`` ({"METHOD /path": (status, json body)}) for exchanges the folder did not
capture but the protocol needs (a documented login reply, for example)."""
