# min()/max() with default= (and key=), on lists, tuples, generators, empty or not.
print(max([], default=7), min([3, 1], default=0), max(["a", "bb"], key=len, default="z"), min((x for x in range(0)), default=-1))
print(max([2.5, 1.0], default=0.0), min([], key=abs, default=5))
words = "the quick brown fox".split()
print(max(words, key=len, default=""), min([w for w in words if len(w) > 9], default="none"))
