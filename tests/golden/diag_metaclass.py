# A class made by a metaclass.
class Registry(type):
    pass


class Plugin(metaclass=Registry):
    def run(self):
        return 1


print(Plugin().run())
