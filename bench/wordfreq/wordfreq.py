# Word frequency: generate a deterministic text (a small linear congruential
# generator picks words from a generated vocabulary with a skewed
# distribution, capitalises sentence starts, adds commas and full stops and
# breaks lines), split it into words, normalise them (strip punctuation,
# lower case), count them in a dict[str, int], sort by (-count, word) and
# print the top 20, the last 5 and totals. Exercises string building
# (join, +=), str.split/strip/lower/capitalize, dict[str, int] get/set,
# sorted() with a tuple key.

VOCAB = 20000
WORDS = 5000000
LETTERS = "etaoinshrdlcumwfgypbvkjxqz"


class Lcg:
    def __init__(self, seed):
        self.state = seed

    def next(self, n):
        # a number in 0..n-1
        self.state = (self.state * 1103515245 + 12345) % 2147483648
        return (self.state >> 8) % n


def make_vocab(rng, size):
    vocab = []
    for i in range(size):
        length = 1 + rng.next(4) + rng.next(6)
        w = ""
        for j in range(length):
            # favour the first letters (the common ones)
            w += LETTERS[rng.next(rng.next(26) + 1)]
        vocab.append(w)
    return vocab


def make_text(rng, vocab, nwords):
    lines = []
    line = []
    cap = True
    for i in range(nwords):
        # skewed: small indices are much more likely
        w = vocab[rng.next(rng.next(len(vocab)) + 1)]
        if cap:
            w = w.capitalize()
            cap = False
        r = rng.next(20)
        if r == 0:
            w = w + "."
            cap = True
        elif r < 3:
            w = w + ","
        line.append(w)
        if len(line) >= 12 and rng.next(4) == 0:
            lines.append(" ".join(line))
            line = []
    lines.append(" ".join(line))
    return "\n".join(lines)


def count_words(text):
    counts = {}
    for w in text.split():
        w = w.strip(".,").lower()
        counts[w] = counts.get(w, 0) + 1
    return counts


def main():
    rng = Lcg(20240601)
    vocab = make_vocab(rng, VOCAB)
    text = make_text(rng, vocab, WORDS)
    print("text length", len(text), "lines", text.count("\n") + 1)
    counts = count_words(text)
    items = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    total = 0
    letters = 0
    once = 0
    for w, c in items:
        total += c
        letters += len(w) * c
        if c == 1:
            once += 1
    print("words", total, "distinct", len(items), "letters", letters, "hapaxes", once)
    print("top 20:")
    for w, c in items[:20]:
        print(f"{w:<12}{c:>8}")
    print("last 5:")
    for w, c in items[-5:]:
        print(f"{w:<12}{c:>8}")


main()
