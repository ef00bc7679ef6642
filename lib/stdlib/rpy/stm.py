"""rpy.stm for compiled programs: nothing aborts without parallel threads."""


def last_abort_info():
    return None
