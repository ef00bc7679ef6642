# getattr() with an attribute name computed at run time.
class Config:
    def __init__(self):
        self.width = 80
        self.height = 24


def lookup(cfg, key):
    return getattr(cfg, key)


print(lookup(Config(), "width"))
