# A name the imported module does not define.
from shapes import square, cube

print(square(3), cube(2))
