# Dict of int keys: build a dict of 1,000,000 int keys (scattered over 32
# bits by a multiplicative hash of 0..N-1), probe it many times with a mix of
# hits and misses (d.get, `in`, d[k]), delete a third of the keys, update
# another third, insert new keys, pop and setdefault a few, and probe
# again. Prints counts and checksums, one of them over the iteration order
# (insertion order, with the new keys after the survivors).

N = 1000000
MASK = 4294967295      # 2**32 - 1
MULT = 2654435761      # odd, so i -> i * MULT mod 2**32 is one-to-one
ROUNDS = 8


def key_of(i):
    return (i * MULT) & MASK


def build(n):
    d = {}
    for i in range(n):
        d[key_of(i)] = i
    return d


def probe_get(d, n, rounds):
    # indices 0..2n-1: the first n are keys, the rest are not
    hits = 0
    misses = 0
    total = 0
    for r in range(rounds):
        i = r * 7919
        for j in range(n):
            i += 3
            if i >= 2 * n:
                i -= 2 * n
            v = d.get(key_of(i), -1)
            if v >= 0:
                hits += 1
                total += v
            else:
                misses += 1
    return hits, misses, total


def probe_in(d, n):
    hits = 0
    total = 0
    for j in range(2 * n):
        k = key_of(j * 5 + 1)
        if k in d:
            hits += 1
            total = (total + d[k]) & MASK
    return hits, total


def mutate(d, n):
    for i in range(0, n, 3):
        del d[key_of(i)]
    for i in range(1, n, 3):
        d[key_of(i)] += i
    for i in range(0, n, 6):
        d[key_of(i + 5 * n)] = i * 2
    for i in range(2, n, 3):
        d[key_of(i)] = d[key_of(i)] * 3 - i


def pop_setdefault(d, n):
    # pop around the end of the key range (some present, some deleted,
    # some never there), then setdefault at its start (deleted keys come
    # back, at the end of the order)
    popped = 0
    for i in range(n - 1000, n + 1000):
        popped += d.pop(key_of(i), -1)
    kept = 0
    for i in range(2000):
        kept += d.setdefault(key_of(i), 7)
    return popped, kept


def order_checksum(d):
    acc = 0
    pos = 0
    for k, v in d.items():
        acc = ((acc * 31) ^ (k + v + pos)) & MASK
        pos += 1
    return acc


def main():
    d = build(N)
    print("size", len(d))
    hits, misses, total = probe_get(d, N, ROUNDS)
    print("get: hits", hits, "misses", misses, "sum", total)
    hits, total = probe_in(d, N)
    print("in: hits", hits, "sum", total)
    mutate(d, N)
    print("size after mutate", len(d))
    popped, kept = pop_setdefault(d, N)
    print("pop", popped, "setdefault", kept, "size", len(d))
    hits, misses, total = probe_get(d, N, ROUNDS)
    print("get: hits", hits, "misses", misses, "sum", total)
    hits, total = probe_in(d, N)
    print("in: hits", hits, "sum", total)
    s = 0
    for v in d.values():
        s += v
    print("sum of values", s)
    print("order checksum", order_checksum(d))


main()
