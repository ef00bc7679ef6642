# exec() runs code chosen at run time.
def run_snippet(code):
    exec(code)


run_snippet("print('hello')")
