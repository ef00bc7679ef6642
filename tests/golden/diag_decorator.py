# A decorator other than @staticmethod and @classmethod.
def logged(func):
    def wrapper(x):
        print("calling", x)
        return func(x)
    return wrapper


@logged
def square(x):
    return x * x


print(square(4))
