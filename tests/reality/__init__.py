"""Reality tests: the real client against replies captured from real miners.

The captures live outside the repository (``../shared/captures``, see its README) and are never
copied in; these tests serve them from loopback servers that answer the way the firmware's
protocol does, and skip with a reason where the captures are absent.
"""
