import _warnings

_warnings.warn("Test")
