# Strings: concatenation, repetition, indexing, methods, repr.

s = "Hello, World"
print(s, len(s), s[0], s[-1], s[7:], s[:5], s[::-1], s[1:8:2])
print(s.upper(), s.lower(), s.find("o"), s.rfind("o"), s.count("l"), s.replace("l", "L"))
print(s.startswith("Hell"), s.endswith("x"), "World" in s, s.split(", "), "  pad  ".strip() + "|")
print("-" * 10, 3 * "ab", "a" < "b", "abc" < "abd", "Z" < "a", "" == "")
print(repr("it's"), repr('say "hi"'), repr("tab\there"), repr("back\\slash"), repr("new\nline"))
print("é" + "ü", len("héllo"), "héllo"[1], "日本語"[2], repr("日本"))
parts = []
for ch in "abc":
    parts.append(ch * 2)
print("".join(parts), "-".join(["x", "y", "z"]), str(12) + str(3.5) + str(True) + str(None))
print("a,b,,c".split(","), " many   spaces here ".split(), "x".isalpha(), "12".isdigit())
