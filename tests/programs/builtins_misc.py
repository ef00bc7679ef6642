# Built-ins and str methods of LANGUAGE.md not covered elsewhere.
s = "  Hello, World  "
print(s.rsplit(",", 1), s.partition(","), "a\nb\r\nc".splitlines(), "ab".zfill(5), "ab".center(7, "*"))
print("{:>8}|{:<6}|{:^5}".format("x", 3, 2.5), "x".ljust(3) + "|", "title me".title(), "cap".capitalize())
print(int("ff", 16), int("0b101", 0), float("inf"), float("-inf"), float("nan") != float("nan"))
print(round(2.675, 2), round(5), round(-0.5), divmod(7.5, 2), pow(3, 4, 5), abs(-3.5))
a = [1, 2]
print(id(a) == id(a), hash("x") == hash("x"), isinstance(a, list), len(range(0, 10, 3)))
print(list(map(lambda x, y: x + y, [1, 2], [3, 4])), sorted({3: 1, 1: 2}))
print(max(3, 7, 2), min("b", "a"), sum([0.5, 0.25]), any([]), all([]))
print(chr(9731), ord("é"), hex(255), oct(8), bin(-5), repr("it's"))
print(str(3.0), str(1e20), str(1e-7), 10 ** 20 if False else 2 ** 62, -7 // 2, -7 % 2, 7 / 2)
print(len("é".encode()), [b for b in "hi".encode()])
