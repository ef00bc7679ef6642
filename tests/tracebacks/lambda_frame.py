f = lambda x: x["k"]
def call(g):
    return g({"j": 1})
call(f)
