import unittest

from logic import shout


class ShoutTest(unittest.TestCase):
    def test_shouts(self):
        self.assertEqual(shout("hi"), "HI!")


if __name__ == "__main__":
    unittest.main()
