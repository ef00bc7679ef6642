# Coroutines.
async def fetch(n):
    return n * 2


async def main():
    value = await fetch(21)
    print(value)
