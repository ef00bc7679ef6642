# An attribute assigned an int in one method and a str in another.
class Account:
    def __init__(self, owner):
        self.owner = owner
        self.balance = 0

    def deposit(self, amount):
        self.balance += amount

    def close(self):
        self.balance = "closed"


a = Account("ann")
a.deposit(10)
a.close()
print(a.owner, a.balance)
