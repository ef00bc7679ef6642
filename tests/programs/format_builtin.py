# format(value, spec): the format-spec mini-language as in f-strings.
print(format(3.14159, ".2f"), format(42, "08b"), format(1234.5, ",.1f"), format("x", "^5"), format(0.000123, "g"))
print(format(255, "#x"), format(-7, "+d"), format(1e20, ".3e"), format(12), format("plain"), format(0.5, "%"))
spec = ">" + str(6)
print("[" + format("r", spec) + "]", [format(v, "03d") for v in range(3)])
