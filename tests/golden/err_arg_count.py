def area(width, height):
    return width * height


print(area(5))
