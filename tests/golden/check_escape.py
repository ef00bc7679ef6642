# A backslash in the message (and a lexer error) through --json.
path = "C:\xZZ"
print(path)
