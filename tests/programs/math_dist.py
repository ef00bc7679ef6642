# math.dist() of tuples and lists, and its error.
import math
print(math.dist((0, 0), (3, 4)), math.dist([1.5], [0.5]))
try:
    math.dist([1], [1, 2])
except ValueError as e:
    print("ValueError:", e)
