# Integer literals
assert 0b101010 == 42
assert 0B101010 == 42
assert 0o777 == 511
assert 0O777 == 511
assert 0xcafebabe == 3405691582
assert 0Xcafebabe == 3405691582
assert 0xCAFEBABE == 3405691582
