# A class instantiated with too few arguments for __init__.
class Rect:
    def __init__(self, w, h):
        self.w = w
        self.h = h


r = Rect(2)
print(r.w)
