# setattr() with attribute names taken from a dict.
class Record:
    def __init__(self):
        self.name = ""
        self.city = ""


def fill(rec, fields):
    for key in fields:
        setattr(rec, key, fields[key])


r = Record()
fill(r, {"name": "ann"})
print(r.name)
