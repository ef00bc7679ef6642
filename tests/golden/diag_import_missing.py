# A module that is not on the search path.
import geometry

print(geometry.area(3))
