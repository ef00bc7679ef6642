def parse(s):
    return int(s)
def run(items):
    out = []
    for it in items:
        out.append(parse(it))
    return out
print(run(["1", "2"]))
run(["3", "x"])
