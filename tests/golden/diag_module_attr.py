# A function the math module does not have.
import math

print(math.squareroot(2.0))
