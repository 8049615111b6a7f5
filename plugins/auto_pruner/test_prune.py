"""Unit tests of the pruning rule: python3 -m unittest (run by tests/plugins/jobs_and_questions.rs)."""
import unittest

import prune


def msg(role, content, name=None):
    return {"role": role, "content": content, "name": name}


def conversation(rounds, size):
    messages = [msg("system", "s")]
    for r in range(rounds):
        messages += [msg("user", f"task {r}"), msg("assistant", ""), msg("tool", "x" * size, "read_file")]
    return messages


class PlanTest(unittest.TestCase):
    def test_nothing_below_the_threshold(self):
        self.assertEqual(prune.plan(conversation(3, 1000)), [])

    def test_oldest_first_down_to_the_target_and_the_newest_round_kept(self):
        messages = conversation(5, 100_000)
        changes = prune.plan(messages)
        indices = [i for i, _ in changes]
        self.assertEqual(indices, [3, 6, 9, 12][:len(indices)])
        self.assertNotIn(15, indices, "the newest round's result is kept")
        for i, new in changes:
            messages[i]["content"] = new
        self.assertLessEqual(prune.total_chars(messages), prune.PRUNE_TO_CHARS)
        self.assertTrue(messages[3]["content"].startswith(prune.MARKER))
        self.assertIn("100000 characters of read_file", messages[3]["content"])

    def test_only_long_tool_results_and_never_twice(self):
        messages = [msg("user", "u" * 1000), msg("assistant", "a" * 1000), msg("tool", "short"),
                    msg("tool", prune.placeholder("y" * 1000, "t") + "z" * 1000), msg("user", "now")]
        self.assertEqual(prune.plan(messages, 0, 0), [])


if __name__ == "__main__":
    unittest.main()
