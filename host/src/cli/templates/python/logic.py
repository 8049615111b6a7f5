"""The plugin's logic, free of host calls, so `python3 -m unittest` runs it."""


def shout(text):
    """The text in capitals with an exclamation mark."""
    return f"{text.upper()}!"
