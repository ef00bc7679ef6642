# A line indented deeper than the block.
def area(w, h):
    result = w * h
      return result


print(area(2, 3))
