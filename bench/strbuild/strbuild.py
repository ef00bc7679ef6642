# String building: format N records with f-strings, str.format and
# %-formatting (zero-padded and aligned ints, "%.2f" floats, left-aligned
# strs), join them; parse them back with split(";") / strip / upper /
# startswith and float(); rebuild lines with += concatenation; transform
# the whole text with replace / upper / lower / split; print lengths,
# counts, a float total ("%.3f") and slices of the results.

N = 1500000
NAMES = ["apple", "kiwi", "banana", "fig", "cherry", "lime", "mango", "pear", "plum"]


def format_records(n):
    out = []
    for i in range(n):
        price = (i * 7919 % 100000) / 100.0
        qty = i * 31 % 1000
        name = NAMES[i % len(NAMES)]
        k = i % 3
        if k == 0:
            s = f"{i:07d};{name:<8};{price:.2f};{qty:>4}"
        elif k == 1:
            s = "{:07d};{:<8};{:.2f};{:>4}".format(i, name, price, qty)
        else:
            s = "%07d;%-8s;%.2f;%4d" % (i, name, price, qty)
        out.append(s)
    return out


def parse_records(recs):
    total = 0.0
    qty_sum = 0
    b_names = 0
    tags = []
    for s in recs:
        fields = s.split(";")
        name = fields[1].strip().upper()
        if name.startswith("B") or name.endswith("UM"):
            b_names += 1
        total += float(fields[2]) / (int(fields[3]) + 1)
        qty_sum += int(fields[3].strip())
        tags.append(name[:2] + str(len(fields[0].lstrip("0"))))
    return total, qty_sum, b_names, "-".join(tags)


def build_lines(recs):
    lines = []
    line = ""
    for s in recs:
        line += s[:7] + "|" + s[8:10]
        if len(line) > 70:
            lines.append(line)
            line = ""
        else:
            line += " "
    lines.append(line)
    return lines


def checksum(s):
    h = 0
    i = 0
    while i < len(s):
        h = (h * 131 + ord(s[i])) % 1000000007
        i += 101
    return h


def main():
    recs = format_records(N)
    big = "\n".join(recs)
    print("records", len(recs), "text", len(big), "checksum", checksum(big))
    print(big[:40].replace("\n", "/"))
    print(big[len(big) // 2:len(big) // 2 + 40].replace("\n", "/"))
    total, qty_sum, b_names, tags = parse_records(recs)
    print("total %.3f qty %d b-names %d mean %.6f" % (total, qty_sum, b_names, total / qty_sum))
    print("tags", len(tags), tags[:30], tags[-30:], checksum(tags))
    lines = build_lines(recs)
    text = "\n".join(lines)
    print("lines", len(lines), "text", len(text), "checksum", checksum(text))
    print(lines[0])
    print(lines[-1].strip())
    t2 = text.replace("|", " | ").replace("00", "0").upper()
    words = t2.split()
    n_bars = 0
    n_zero = 0
    wlen = 0
    for w in words:
        if w == "|":
            n_bars += 1
        elif w.startswith("0"):
            n_zero += 1
        wlen += len(w)
    print("words", len(words), "bars", n_bars, "zero-led", n_zero, "letters", wlen)
    print("t2", len(t2), "checksum", checksum(t2), t2[100:140].replace("\n", "/"))
    low = t2.lower()
    print("lower", low.count("ap"), low.find("pl"), low.rfind("ba"), checksum(low))


main()
