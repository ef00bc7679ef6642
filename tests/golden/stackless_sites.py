# Two resume points in one function, and a call of a transformed function
# whose result is a str: the resume entry dispatches on the frame's state,
# and each resume block reloads the slots and takes the callee's result
# (rpy_sl_result_bool, rpy_sl_result_ptr). On the primitives directly, so
# the dump does not depend on lib/stdlib/rpy.
import _rpystackless


def wait(text):
    if _rpystackless.switch(0):
        return text + "!"
    return text


def talk(greeting):
    count = len(greeting)
    a = wait(greeting)
    b = wait(a + "?")
    return a + b + str(count)


print(talk("hi"))
