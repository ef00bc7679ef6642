# Integer and float edge cases the runtime must get exactly like CPython.

big = 9223372036854775807
small = -big - 1
print(big, small, big // 2, small // 3, small % 7, big % -10)
print(-7 // 2, -7 % 2, 7 // -2, 7 % -2, -7 // -2, -7 % -2)
print(2 ** 62, (-2) ** 63, 3 ** 39, 10 ** 18)
print(1 << 62, -1 << 62, -(1 << 62) >> 61, 5 >> 70, -5 >> 70)
print(7.0 // 2.0, -7.0 // 2.0, 7.0 % -2.0, -0.0 % 5.0, 1e308 * 10.0)
print(0.1 + 0.2, 1.0 / 3.0, 2.0 / 3.0, 1e-7, 123456789012345680.0, 1e16, 9.5e15)
print(round(0.5), round(1.5), round(2.5), round(-0.5), round(2.675, 2), round(1e300, -299))
print(abs(-3), abs(-2.5), abs(small + 1), divmod(17, -5), divmod(-17.5, 4.0))
print(int(-3.9), int(3.9), float(7), int("  42 "), int("-17"), float("1e-3"), float("-inf"))
x = 0
for i in range(1, 40):
    x = x * 3 + i
    x = x % 1000003
print(x, x / 7, x // 7, -x // 7)
