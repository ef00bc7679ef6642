# The error is in an imported module: the message names its file.
import scaling

print(scaling.scale([1, 2], 3))
