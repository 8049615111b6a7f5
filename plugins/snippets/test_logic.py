"""Tests of the snippets logic: python3 -m unittest test_logic (in this folder)."""
import unittest

from logic import candidates, expand, listing, markers


class Markers(unittest.TestCase):
    def test_finds_names_once_and_skips_mail(self):
        self.assertEqual(markers("use @@review and @@review, @@fix.md; a@@b"), ["review", "fix.md"])

    def test_paths_are_never_candidates(self):
        self.assertEqual(candidates("../x"), [])
        self.assertEqual(candidates(".hidden"), [])
        self.assertEqual(candidates("a"), ["a", "a.md", "a.txt"])


class Expand(unittest.TestCase):
    def test_known_markers_expand_unknown_stay(self):
        load = {"review": "Review this carefully.\n"}.get
        out, done, missing = expand("please @@review then @@nope", load)
        self.assertEqual(out, "please Review this carefully. then @@nope")
        self.assertEqual(done, ["review"])
        self.assertEqual(missing, ["nope"])

    def test_nothing_to_do(self):
        self.assertEqual(expand("plain", lambda n: None), ("plain", [], []))

    def test_growth_is_bounded(self):
        with self.assertRaises(ValueError):
            expand("@@big", lambda n: "x" * (300 * 1024))


class Listing(unittest.TestCase):
    def test_project_shadows_user(self):
        out = listing({"user": ["a.md", "b.md"], "project": ["a.md"]})
        self.assertIn("@@a  (project)", out)
        self.assertNotIn("@@a  (user)", out)
        self.assertIn("@@b  (user)", out)

    def test_empty_says_where_to_put_them(self):
        self.assertIn("~/.config/aicoder/snippets/", listing({}))


if __name__ == "__main__":
    unittest.main()
