# str's methods taken from the class (key=str.lower, map(str.strip, ...),
# str.upper(x)), and isinstance() with a tuple of built-in types.
lines = [" a ", "b  "]
print(list(map(str.strip, lines)), str.upper("x"), str.join("-", ["a", "b"]), sorted(["b", "A"], key=str.lower), list(map(str.split, ["a b", "c"])))
print(isinstance(3.0, (int, float)), isinstance("s", (int, list)), isinstance(True, (str, int)))
