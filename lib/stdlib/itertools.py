# itertools for RPy: the iterator building blocks, written as generators,
# in the order and with the results of CPython's (the recipes of its
# documentation). RPy's types restrict them: the iterables given to
# chain() and product() have one item type; islice() takes int bounds
# (no None); the r of permutations() is an int (no None: leave it out);
# their tuples are tuples of any length, printed as CPython prints them.


def count(start=0, step=1):
    n = start
    while True:
        yield n
        n += step


def chain(*iterables):
    for it in iterables:
        for x in it:
            yield x


def islice(iterable, a, b=-1, c=1):
    # islice(it, stop) or islice(it, start, stop[, step])
    if b == -1:
        start = 0
        stop = a
    else:
        start = a
        stop = b
    step = c
    if start < 0 or stop < 0:
        raise ValueError("Indices for islice() must be None or an integer: 0 <= x <= sys.maxsize.")
    if step <= 0:
        raise ValueError("Step for islice() must be a positive integer or None.")
    it = iter(iterable)
    i = 0
    want = start
    while want < stop:
        try:
            x = next(it)
        except StopIteration:
            return
        if i == want:
            yield x
            want += step
        i += 1


def permutations(iterable, r=-1):
    pool = list(iterable)
    n = len(pool)
    if r == -1:
        r = n
    if r < 0:
        raise ValueError("r must be non-negative")
    if r > n:
        return
    indices = list(range(n))
    cycles = list(range(n, n - r, -1))
    yield tuple([pool[k] for k in indices[:r]])
    while n:
        found = False
        for i in reversed(range(r)):
            cycles[i] -= 1
            if cycles[i] == 0:
                indices[i:] = indices[i + 1:] + indices[i:i + 1]
                cycles[i] = n - i
            else:
                j = cycles[i]
                indices[i], indices[-j] = indices[-j], indices[i]
                yield tuple([pool[k] for k in indices[:r]])
                found = True
                break
        if not found:
            return


def combinations(iterable, r):
    pool = list(iterable)
    n = len(pool)
    if r < 0:
        raise ValueError("r must be non-negative")
    if r > n:
        return
    indices = list(range(r))
    yield tuple([pool[k] for k in indices])
    while True:
        found = -1
        for i in reversed(range(r)):
            if indices[i] != i + n - r:
                found = i
                break
        if found < 0:
            return
        indices[found] += 1
        for j in range(found + 1, r):
            indices[j] = indices[j - 1] + 1
        yield tuple([pool[k] for k in indices])


def product(*iterables, repeat=1):
    if repeat < 0:
        raise ValueError("repeat argument cannot be negative")
    pools = [list(pool) for pool in iterables] * repeat
    result = [[]]
    for pool in pools:
        result = [x + [y] for x in result for y in pool]
    for prod in result:
        yield tuple(prod)
