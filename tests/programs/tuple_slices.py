# Slices of tuples with constant bounds: each position keeps its type.
t = (1, "a", 2.5, True)
print(t[1:], t[:2], t[::2], t[::-1], t[-2:], t[1:3], t[5:], t[:-1], t[::-2], t[3:0:-1], t[-10:10])
u = t[1:3]
s, f = u
print(s * 2, f + 1, len(t[2:]), t[:0] == ())
