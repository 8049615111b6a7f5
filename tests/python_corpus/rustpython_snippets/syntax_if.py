x = 0
if 1 == 1:
    x += 5
else:
    x += 3

assert x == 5

y = 0
if 1 == 2:
    y += 5
else:
    y += 3

assert y == 3
