"""What a person reads off each ``../shared/captures/tcp`` folder: one module per folder, named
as the folder, with ``FAMILY`` (what detection must find), ``READS`` (``MinerData`` values, see
``tests.reality.captures.assert_reads``) and optionally ``JOINS = False`` for a firmware that
refuses ``a+b`` joined commands."""
