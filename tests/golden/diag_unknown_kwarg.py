# A misspelt keyword argument.
def connect(host, port=80):
    return host + ":" + str(port)


print(connect("example.org", prot=8080))
