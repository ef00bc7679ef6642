# A **kwargs parameter (its uses are not reported again).
def make_tag(name, **attrs):
    parts = [name]
    for key in attrs:
        parts.append(key + "=" + attrs[key])
    return "<" + " ".join(parts) + ">"


print(make_tag("a", href="x"))
