# An int and a float argument make two copies of deposit(), whose tuples
# meet in one list: the types differ only by int and float, and the
# message says so.
class Account:
    def __init__(self):
        self.history = []

    def deposit(self, amount):
        self.history.append(("dep", amount))


acc = Account()
acc.deposit(100.0)
acc.deposit(5)
print(acc.history)
