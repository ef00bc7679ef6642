# A first tour of RPy: functions, recursion, loops, lists, dicts and strings.
# Compile it with `./rpy build examples/hello.py -o hello` (or `make demo`);
# python3 examples/hello.py prints exactly the same thing.


def greet(name):
    return "Hello, " + name + "!"


def factorial(n):
    if n <= 1:
        return 1
    return n * factorial(n - 1)


def fib_list(count):
    result = [0, 1]
    while len(result) < count:
        result.append(result[len(result) - 1] + result[len(result) - 2])
    return result


def is_prime(n):
    if n < 2:
        return False
    d = 2
    while d * d <= n:
        if n % d == 0:
            return False
        d += 1
    return True


def word_counts(text):
    counts = {}
    for word in text.split():
        counts[word] = counts.get(word, 0) + 1
    return counts


def average(values):
    total = 0.0
    for v in values:
        total += v
    return total / len(values)


def main():
    print(greet("RPy"))
    for n in range(1, 11, 3):
        print(str(n) + "! =", factorial(n))
    fibs = fib_list(15)
    print("first", len(fibs), "Fibonacci numbers:", fibs)
    primes = []
    for n in range(50):
        if is_prime(n):
            primes.append(n)
    print("primes below 50:", primes)
    print("the 10th prime is", primes[9], "and the last is", primes[len(primes) - 1])
    counts = word_counts("the quick brown fox jumps over the lazy dog the end")
    for word, count in counts.items():
        if count > 1:
            print("repeated word:", word.upper(), "x" + str(count))
    print("distinct words:", len(counts), "| 'fox' seen", counts.get("fox", 0), "| 'cat' seen", counts.get("cat", 0))
    print("is 97 prime?", is_prime(97), "| is 91 prime?", is_prime(91))
    print("average of 1.5, 2.5 and 4.0 is", average([1.5, 2.5, 4.0]))
    shout = "-".join(["rpy", "compiles", "python"]).upper()
    print(shout, "(" + str(len(shout)) + " chars)")


main()
