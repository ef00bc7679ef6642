# math.prod (int and float, start=), math.nextafter, math.ulp.
import math
print(math.prod([1, 2, 3]), math.prod([1.5, 2.0]), math.prod([]), math.prod([2, 3], start=10), math.prod(range(1, 6)), math.prod([2.0], start=3))
print(math.prod([2, 4], start=0.5), math.nextafter(1.0, 0.0), math.ulp(0.0))
print(math.nextafter(1.0, 2.0), math.ulp(1.0), math.nextafter(0.0, -1.0), math.ulp(1e300))
