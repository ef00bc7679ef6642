# expect-error: 6: dict_keys
# dict views are lists in RPy: printing one (CPython prints dict_keys([...]))
# is rejected rather than printed differently.

d = {"a": 1}
print(d.keys())
