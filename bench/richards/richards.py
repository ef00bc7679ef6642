# Richards: a simulation of an operating system's task scheduler (after
# Martin Richards' benchmark). Six tasks (an idle task, a worker, two
# packet handlers and two devices) hand packets to each other; the
# scheduler walks a chain of task control blocks, ordered by priority, and
# runs the first one whose state bits say it can run. Exercises classes with
# single inheritance, methods overridden in subclasses and called through a
# base-class reference (dynamic dispatch), attributes that may be None
# (links, queues), lists and integer/bit arithmetic.

I_IDLE = 1
I_WORK = 2
I_HANDLER_A = 3
I_HANDLER_B = 4
I_DEV_A = 5
I_DEV_B = 6
NUM_TASKS = 7

K_DEV = 1000
K_WORK = 1001

# A work packet carries BUF_SIZE + 1 characters (as character codes).
BUF_SIZE = 3

# Task state bits.
PKT_BIT = 1     # the task has packets queued
WAIT_BIT = 2    # the task is waiting for a packet
HOLD_BIT = 4    # the task is held (suspended)
RUNNING = 0
WAITING = WAIT_BIT
WAITING_WITH_PACKET = WAIT_BIT | PKT_BIT

IDLE_COUNT = 10000
ITERATIONS = 180


class Packet:
    def __init__(self, link, ident, kind):
        self.link = link
        self.ident = ident
        self.kind = kind
        self.datum = 0
        self.data = [0] * (BUF_SIZE + 1)


def append_packet(pkt, queue):
    # Put pkt at the end of queue; return the new head of the queue.
    pkt.link = None
    if queue is None:
        return pkt
    last = queue
    nxt = last.link
    while nxt is not None:
        last = nxt
        nxt = last.link
    last.link = pkt
    return queue


class Scheduler:
    def __init__(self):
        self.table = [None] * NUM_TASKS
        self.task_list = None
        self.queue_count = 0
        self.hold_count = 0

    def add_task(self, task):
        task.link = self.task_list
        self.task_list = task
        self.table[task.ident] = task

    def find(self, ident):
        return self.table[ident]

    def schedule(self):
        task = self.task_list
        while task is not None:
            state = task.state
            if (state & HOLD_BIT) != 0 or state == WAITING:
                task = task.link
            else:
                pkt = None
                if state == WAITING_WITH_PACKET:
                    pkt = task.wkq
                    if pkt is not None:
                        task.wkq = pkt.link
                        if task.wkq is None:
                            task.state = RUNNING
                        else:
                            task.state = PKT_BIT
                task = task.run(pkt)


class Task:
    def __init__(self, sched, ident, pri, wkq, state):
        self.sched = sched
        self.link = None
        self.ident = ident
        self.pri = pri
        self.wkq = wkq
        self.state = state

    # Run the task for one step with the packet it was given (or None);
    # return the task to run next.
    def run(self, pkt):
        return self.wait()

    # A number summarising the task's final state.
    def report(self):
        return self.ident

    def wait(self):
        self.state = self.state | WAIT_BIT
        return self

    def hold_self(self):
        self.sched.hold_count += 1
        self.state = self.state | HOLD_BIT
        return self.link

    def release(self, ident):
        t = self.sched.find(ident)
        if t is None:
            return None
        t.state = t.state & ~HOLD_BIT
        if t.pri > self.pri:
            return t
        return self

    def send(self, pkt):
        t = self.sched.find(pkt.ident)
        if t is None:
            return None
        self.sched.queue_count += 1
        pkt.link = None
        pkt.ident = self.ident
        if t.wkq is None:
            t.wkq = pkt
            t.state = t.state | PKT_BIT
            if t.pri > self.pri:
                return t
        else:
            t.wkq = append_packet(pkt, t.wkq)
        return self


class IdleTask(Task):
    def __init__(self, sched, ident, pri, wkq, state, control, count):
        super().__init__(sched, ident, pri, wkq, state)
        self.control = control
        self.count = count

    def run(self, pkt):
        self.count -= 1
        if self.count == 0:
            return self.hold_self()
        if (self.control & 1) == 0:
            self.control = self.control >> 1
            return self.release(I_DEV_A)
        self.control = (self.control >> 1) ^ 0xD008
        return self.release(I_DEV_B)

    def report(self):
        return self.control


class WorkTask(Task):
    def __init__(self, sched, ident, pri, wkq, state):
        super().__init__(sched, ident, pri, wkq, state)
        self.dest = I_HANDLER_A
        self.letter = 0

    def run(self, pkt):
        if pkt is None:
            return self.wait()
        self.dest = I_HANDLER_A + I_HANDLER_B - self.dest
        pkt.ident = self.dest
        pkt.datum = 0
        for i in range(BUF_SIZE + 1):
            self.letter += 1
            if self.letter > 26:
                self.letter = 1
            pkt.data[i] = 64 + self.letter
        return self.send(pkt)

    def report(self):
        return self.dest * 100 + self.letter


class HandlerTask(Task):
    def __init__(self, sched, ident, pri, wkq, state):
        super().__init__(sched, ident, pri, wkq, state)
        self.work_queue = None
        self.dev_queue = None

    def run(self, pkt):
        if pkt is not None:
            if pkt.kind == K_WORK:
                self.work_queue = append_packet(pkt, self.work_queue)
            else:
                self.dev_queue = append_packet(pkt, self.dev_queue)
        work = self.work_queue
        if work is not None:
            count = work.datum
            if count > BUF_SIZE:
                self.work_queue = work.link
                return self.send(work)
            dev = self.dev_queue
            if dev is not None:
                self.dev_queue = dev.link
                dev.datum = work.data[count]
                work.datum = count + 1
                return self.send(dev)
        return self.wait()

    def report(self):
        n = 0
        p = self.work_queue
        while p is not None:
            n += 1
            p = p.link
        p = self.dev_queue
        while p is not None:
            n += 10
            p = p.link
        return n


class DeviceTask(Task):
    def __init__(self, sched, ident, pri, wkq, state):
        super().__init__(sched, ident, pri, wkq, state)
        self.pending = None
        self.checksum = 0

    def run(self, pkt):
        if pkt is None:
            p = self.pending
            if p is None:
                return self.wait()
            self.pending = None
            return self.send(p)
        self.pending = pkt
        self.checksum = (self.checksum * 31 + pkt.datum) % 1000003
        return self.hold_self()

    def report(self):
        return self.checksum


def make_scheduler(idle_count):
    sched = Scheduler()
    sched.add_task(IdleTask(sched, I_IDLE, 0, None, RUNNING, 1, idle_count))

    wkq = Packet(None, 0, K_WORK)
    wkq = Packet(wkq, 0, K_WORK)
    sched.add_task(WorkTask(sched, I_WORK, 1000, wkq, WAITING_WITH_PACKET))

    wkq = Packet(None, I_DEV_A, K_DEV)
    wkq = Packet(wkq, I_DEV_A, K_DEV)
    wkq = Packet(wkq, I_DEV_A, K_DEV)
    sched.add_task(HandlerTask(sched, I_HANDLER_A, 2000, wkq, WAITING_WITH_PACKET))

    wkq = Packet(None, I_DEV_B, K_DEV)
    wkq = Packet(wkq, I_DEV_B, K_DEV)
    wkq = Packet(wkq, I_DEV_B, K_DEV)
    sched.add_task(HandlerTask(sched, I_HANDLER_B, 3000, wkq, WAITING_WITH_PACKET))

    sched.add_task(DeviceTask(sched, I_DEV_A, 4000, None, WAITING))
    sched.add_task(DeviceTask(sched, I_DEV_B, 5000, None, WAITING))
    return sched


def main():
    total_queue = 0
    total_hold = 0
    total_report = 0
    queue_count = 0
    hold_count = 0
    for it in range(ITERATIONS):
        sched = make_scheduler(IDLE_COUNT)
        sched.schedule()
        queue_count = sched.queue_count
        hold_count = sched.hold_count
        total_queue += queue_count
        total_hold += hold_count
        task = sched.task_list
        while task is not None:
            total_report = (total_report * 7 + task.report()) % 1000000007
            task = task.link
    print("iterations", ITERATIONS, "idle count", IDLE_COUNT)
    print("queue count", queue_count, "hold count", hold_count)
    if queue_count == 23246 and hold_count == 9297:
        print("counts match the reference: yes")
    else:
        print("counts match the reference: no")
    print("total queue count", total_queue)
    print("total hold count", total_hold)
    print("report checksum", total_report)


main()
