"""snippets logic, free of host calls so it is tested with plain Python
(test_logic.py): finding `@@name` markers and expanding them."""
import re

# `@@name`: letters, digits, `_`, `-` and `.` (a file name, with or
# without its extension), not preceded by a word character (so an e-mail
# address like a@@b is left alone).
MARKER = re.compile(r"(?<![\w@])@@([A-Za-z0-9_][A-Za-z0-9_.\-]*)")

# The most one message may grow by expansion.
EXPANDED_MAX = 256 * 1024


def markers(text):
    """The snippet names marked in `text`, in order, without repeats."""
    seen = []
    for m in MARKER.finditer(text):
        if m.group(1) not in seen:
            seen.append(m.group(1))
    return seen


def candidates(name):
    """File names a marker may refer to: as written, then with .md and .txt."""
    if "/" in name or name.startswith("."):
        return []
    return [name, name + ".md", name + ".txt"]


def expand(text, load):
    """Replace each `@@name` whose snippet `load(name)` finds (a string, or
    None when there is none) with its text. Returns (new text, expanded
    names, missing names). Unknown markers are left as written."""
    texts = {}
    missing = []
    for name in markers(text):
        found = load(name)
        if found is None:
            missing.append(name)
        else:
            texts[name] = found.rstrip("\n")
    if not texts:
        return text, [], missing

    def replace(m):
        return texts.get(m.group(1), m.group(0))

    out = MARKER.sub(replace, text)
    if len(out) > len(text) + EXPANDED_MAX:
        raise ValueError(f"expanding the snippets would add more than {EXPANDED_MAX} bytes")
    return out, list(texts), missing


def listing(names_by_area):
    """The `/snippets` listing from {area: [file names]}: project files
    shadow user files of the same name."""
    lines = []
    shown = set()
    for area in ("project", "user"):
        for file in sorted(names_by_area.get(area, [])):
            name = file
            for ext in (".md", ".txt"):
                if name.endswith(ext):
                    name = name[: -len(ext)]
            if name in shown:
                continue
            shown.add(name)
            lines.append(f"  @@{name}  ({area})")
    if not lines:
        return ("no snippets: put text files in ~/.config/aicoder/snippets/ "
                "(or .aicoder/snippets/ in the project), then write @@NAME in a message")
    return "snippets:\n" + "\n".join(lines)
