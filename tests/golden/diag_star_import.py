# A star import: the names it binds are not known (no follow-up errors
# for them).
from math import *

print(sqrt(16.0), floor(2.5))
