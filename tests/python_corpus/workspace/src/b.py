def beta(x):
    return x * 2


print(beta(2))
