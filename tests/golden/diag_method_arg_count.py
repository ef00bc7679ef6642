# A method called with one argument too many (self counts, as in CPython).
class Rect:
    def __init__(self, w, h):
        self.w = w
        self.h = h

    def scale(self, k):
        return Rect(self.w * k, self.h * k)


r = Rect(2, 3)
print(r.scale(2, 3).w)
