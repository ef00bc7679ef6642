# for loops inside try blocks: the loop's own end (StopIteration) must not
# be confused with the handlers, and what the iteration raises (a dict
# changed size, a closed file) must reach them.
try:
    for x in ["a", "b"]:
        print(x)
    for c in "xy":
        print(c)
    for i in range(2):
        print(i)
except ValueError:
    print("never")

d = {1: 2, 3: 4}
try:
    for k in d:
        print(k)
        d[k + 10] = 1
except RuntimeError as e:
    print("caught", e)

s = {1, 2}
try:
    for k in s:
        s.add(k + 5)
except RuntimeError as e:
    print("caught", e)

path = "/tmp/rpy_loop_in_try.txt"
f = open(path, "w")
f.write("one\ntwo\nthree\n")
f.close()
g = open(path)
try:
    for line in g:
        print(line.strip())
        if line.startswith("two"):
            g.close()
except ValueError as e:
    print("caught", e)
with open(path) as h:
    n = 0
    for line in h:
        n += len(line)
    print("chars", n)


def values(rows):
    c = {}
    for s2 in rows:
        c[s2] = print(s2)
    return c


vd = values(["p", "q"])
print(len(vd), vd)
