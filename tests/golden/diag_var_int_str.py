# A variable that holds an int on one path and a str on the other.
def parse_port(text):
    port = 8080
    if text.isdigit():
        port = int(text)
    else:
        port = "invalid"
    return port + 1


print(parse_port("9000"))
