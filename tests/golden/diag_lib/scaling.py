def scale(values, factor):
    out = []
    for v in values:
        out.append(v * factor)
    out.append("done")
    return out
