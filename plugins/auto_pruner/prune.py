"""The pruning rule of auto_pruner, without any host call (tested on its own).

Messages are dicts with `role`, `content` and `name`. Only `tool` results are
ever changed, and only their content: role, tool-call id and name stay, so
every assistant tool call keeps its answer. The newest round (the tool
results after the last user message) is never touched.
"""

# Prune once the conversation holds this many characters (~75k tokens, 60%
# of the default 128k CONTEXT_SIZE), down to PRUNE_TO.
PRUNE_AT_CHARS = 300_000
PRUNE_TO_CHARS = 150_000
# Results shorter than this are left alone: replacing them saves nothing.
MIN_PRUNE_CHARS = 256
MARKER = "[pruned by auto_pruner: "


def placeholder(content, name):
    return f"{MARKER}{len(content)} characters of {name or 'tool'} output; run the tool again if you need it]"


def total_chars(messages):
    return sum(len(m["content"]) for m in messages)


def last_round_start(messages):
    """Index of the last user message (0 when there is none)."""
    for i in range(len(messages) - 1, -1, -1):
        if messages[i]["role"] == "user":
            return i
    return 0


def plan(messages, prune_at=PRUNE_AT_CHARS, prune_to=PRUNE_TO_CHARS):
    """[(index, new content)] to apply, oldest first; empty below `prune_at`."""
    total = total_chars(messages)
    if total < prune_at:
        return []
    changes = []
    for i in range(last_round_start(messages)):
        if total <= prune_to:
            break
        m = messages[i]
        content = m["content"]
        if m["role"] != "tool" or len(content) < MIN_PRUNE_CHARS or content.startswith(MARKER):
            continue
        new = placeholder(content, m.get("name"))
        changes.append((i, new))
        total -= len(content) - len(new)
    return changes
