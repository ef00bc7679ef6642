# Every str method LANGUAGE.md lists, with their optional arguments and
# CPython's edge cases: start/end bounds (negative, past the end, None),
# tuples of prefixes, split/rsplit keywords, replace counts, padding with a
# fill character, partition, splitlines(keepends), predicates, encode(),
# str.format with keyword fields, and the errors.

s = "the cat sat on the mat"
u = "héllo wörld héllo"
for sub in ["the", "at", "", "héllo", "ö", "zz"]:
    print(repr(sub), s.find(sub, 2), s.find(sub, 2, 10), s.rfind(sub, 0, 15), s.count(sub, 3),
          s.count(sub, -8, -1), u.find(sub, 1), u.rfind(sub, -12), u.count(sub, 2, -2))
print(s.find("t", -3), s.find("t", 100), s.find("", 22), s.find("", 23), s.rfind("", 5, 2), s.count("", 30))
print(s.find("cat", None, None), s.rfind("the", None, 10), s.count("a", None, -5), s.index("sat", 4, 12))
print(s.rindex("the"), s.rindex("t", 0, 5), u.rindex("l", 3, 8), "abcabc".rfind("abc", 1), "aaa".count("aa"))
print(s.startswith("cat", 4), s.startswith("cat", 4, 6), s.endswith("sat", 0, 11), s.endswith("", 50))
print(s.startswith(("dog", "the")), s.endswith(("x", "y")), s.startswith(()), s.endswith(("mat", "cat"), 0, 7))
print(u.startswith("wö", 6), u.endswith("héllo", -5), u.endswith("wörld", 0, -6), "".startswith(""), "a".startswith("", 1))
prefixes = ("ca", "sa", "ma")
print([w for w in s.split() if w.startswith(prefixes)], [w for w in s.split() if w.endswith(("e", "n"))])

print("a,b,,c".split(","), "a,b,,c".split(",", 1), "a,b,,c".split(sep=","), "a,b,,c".split(",", maxsplit=2))
print("a,b,,c".rsplit(","), "a,b,,c".rsplit(",", 1), "a b  c ".rsplit(maxsplit=1), " a b c".rsplit(None, 1))
print("  x  y  ".split(None), "  x  y  ".split(maxsplit=0), "1 2 3".split(" ", -1), "x".rsplit("x"))
print(s.replace("at", "AT", 1), s.replace("at", "AT", 0), s.replace("", "-", 3), s.replace("t", "", -1))
print("xyz".strip(None), "  pad ".lstrip(None), "--x--".rstrip("-"), "abcba".strip("ab"), "éaé".strip("é"))

print(repr("ab".zfill(5)), repr("-12".zfill(6)), repr("+7".zfill(2)), repr("é".zfill(3)))
print(repr("ab".ljust(5)), repr("ab".rjust(5, "*")), repr("ab".center(7, "é")), repr("abc".center(6)),
      repr("abc".center(2)), repr("x".ljust(-1, "#")))
print("key=value=x".partition("="), "key=value=x".rpartition("="), "none".partition("="),
      "none".rpartition("="), "héllo".partition("l"))
text = "one\ntwo\r\nthree\rfour\n\nfive"
print(text.splitlines(), text.splitlines(True), text.splitlines(keepends=True), "".splitlines(), "x\n".splitlines())
print("hello world".title(), "HELLO wORLD".capitalize(), "o'neil mc-d".title(), "ßtraße".capitalize())
for w in ["Hello World", "Hello world", "HELLO", "hello", "123", "", "Ab1 Cd", "²", "١٢٣", "a1"]:
    print(repr(w), w.istitle(), w.isupper(), w.islower(), w.isdigit(), w.isdecimal(), w.isnumeric(), w.isalnum())

data = "héllo".encode()
print(len(data), list(data), [b for b in "abc".encode("utf-8")], sum(data), len("".encode()), data[1])
print("{name}: {0} and {1}, {name!r} {n:>5}|{n:<4}|".format("x", 2.5, name="Bo", n=42))
print("{a}{b}{a}".format(a="1", b=[2, 3]), "{0}{k}".format(7, k=True))

errors = 0
for sub in ["x", "the"]:
    try:
        print(s.index(sub, 5, 8))
    except ValueError as e:
        errors += 1
        print("ValueError", e)
try:
    print("ab".center(5, "xy"))
except TypeError as e:
    print("TypeError", e)
try:
    print("a b".split(""))
except ValueError as e:
    print("ValueError", e)
try:
    print("{missing}".format(present=1))
except KeyError as e:
    print("KeyError", e)
try:
    print("ab".partition(""))
except ValueError as e:
    print("ValueError", e)
print(errors)
