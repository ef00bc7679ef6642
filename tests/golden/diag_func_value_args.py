# Functions that meet in one dict are called with one signature.
def fmt_int(x):
    return str(x + 1)


def fmt_str(s):
    return s.upper()


formatters = {"int": fmt_int, "str": fmt_str}
print(formatters["int"](5))
print(formatters["str"]("abc"))
