/* Richards task scheduler: C reference for bench/richards/richards.py (same
 * algorithm, same data). Tasks are structs that embed a common Task header
 * as their first member; the per-kind behaviour (run, report) is reached
 * through function pointers in the header, like the Python version's
 * overridden methods. Tasks and packets are malloc'ed for every iteration
 * and free'd at its end. */
#include <stdio.h>
#include <stdlib.h>

enum { I_IDLE = 1, I_WORK = 2, I_HANDLER_A = 3, I_HANDLER_B = 4, I_DEV_A = 5, I_DEV_B = 6, NUM_TASKS = 7 };
enum { K_DEV = 1000, K_WORK = 1001 };
enum { BUF_SIZE = 3 };
enum { PKT_BIT = 1, WAIT_BIT = 2, HOLD_BIT = 4 };
enum { RUNNING = 0, WAITING = WAIT_BIT, WAITING_WITH_PACKET = WAIT_BIT | PKT_BIT };

#define IDLE_COUNT 10000
#define ITERATIONS 180
#define MAX_PACKETS 16

typedef struct Packet {
    struct Packet *link;
    long ident;
    long kind;
    long datum;
    long data[BUF_SIZE + 1];
} Packet;

typedef struct Scheduler Scheduler;
typedef struct Task Task;

struct Task {
    Scheduler *sched;
    Task *link;
    long ident;
    long pri;
    Packet *wkq;
    long state;
    Task *(*run)(Task *self, Packet *pkt);
    long (*report)(Task *self);
};

struct Scheduler {
    Task *table[NUM_TASKS];
    Task *task_list;
    long queue_count;
    long hold_count;
    Packet *packets[MAX_PACKETS]; /* every packet made, to free them */
    int num_packets;
};

typedef struct {
    Task base;
    long control;
    long count;
} IdleTask;

typedef struct {
    Task base;
    long dest;
    long letter;
} WorkTask;

typedef struct {
    Task base;
    Packet *work_queue;
    Packet *dev_queue;
} HandlerTask;

typedef struct {
    Task base;
    Packet *pending;
    long checksum;
} DeviceTask;

static void *xmalloc(size_t n)
{
    void *p = malloc(n);
    if (p == NULL) {
        fputs("out of memory\n", stderr);
        exit(1);
    }
    return p;
}

static Packet *new_packet(Scheduler *s, Packet *link, long ident, long kind)
{
    Packet *p = xmalloc(sizeof(Packet));
    p->link = link;
    p->ident = ident;
    p->kind = kind;
    p->datum = 0;
    for (int i = 0; i <= BUF_SIZE; i++)
        p->data[i] = 0;
    if (s->num_packets == MAX_PACKETS) {
        fputs("too many packets\n", stderr);
        exit(1);
    }
    s->packets[s->num_packets++] = p;
    return p;
}

/* Put pkt at the end of queue; return the new head of the queue. */
static Packet *append_packet(Packet *pkt, Packet *queue)
{
    pkt->link = NULL;
    if (queue == NULL)
        return pkt;
    Packet *last = queue;
    while (last->link != NULL)
        last = last->link;
    last->link = pkt;
    return queue;
}

static void init_task(Task *t, Scheduler *s, long ident, long pri, Packet *wkq, long state,
                      Task *(*run)(Task *, Packet *), long (*report)(Task *))
{
    t->sched = s;
    t->link = NULL;
    t->ident = ident;
    t->pri = pri;
    t->wkq = wkq;
    t->state = state;
    t->run = run;
    t->report = report;
}

static void add_task(Scheduler *s, Task *t)
{
    t->link = s->task_list;
    s->task_list = t;
    s->table[t->ident] = t;
}

static Task *find(Scheduler *s, long ident)
{
    return s->table[ident];
}

static void schedule(Scheduler *s)
{
    Task *task = s->task_list;
    while (task != NULL) {
        long state = task->state;
        if ((state & HOLD_BIT) != 0 || state == WAITING) {
            task = task->link;
        } else {
            Packet *pkt = NULL;
            if (state == WAITING_WITH_PACKET) {
                pkt = task->wkq;
                if (pkt != NULL) {
                    task->wkq = pkt->link;
                    task->state = task->wkq == NULL ? RUNNING : PKT_BIT;
                }
            }
            task = task->run(task, pkt);
        }
    }
}

/* Operations shared by all tasks ("base-class methods"). */

static Task *task_wait(Task *self)
{
    self->state |= WAIT_BIT;
    return self;
}

static Task *hold_self(Task *self)
{
    self->sched->hold_count++;
    self->state |= HOLD_BIT;
    return self->link;
}

static Task *release(Task *self, long ident)
{
    Task *t = find(self->sched, ident);
    if (t == NULL)
        return NULL;
    t->state &= ~HOLD_BIT;
    if (t->pri > self->pri)
        return t;
    return self;
}

static Task *send(Task *self, Packet *pkt)
{
    Task *t = find(self->sched, pkt->ident);
    if (t == NULL)
        return NULL;
    self->sched->queue_count++;
    pkt->link = NULL;
    pkt->ident = self->ident;
    if (t->wkq == NULL) {
        t->wkq = pkt;
        t->state |= PKT_BIT;
        if (t->pri > self->pri)
            return t;
    } else {
        t->wkq = append_packet(pkt, t->wkq);
    }
    return self;
}

/* Idle task. */

static Task *idle_run(Task *self, Packet *pkt)
{
    IdleTask *t = (IdleTask *)self;
    (void)pkt;
    t->count--;
    if (t->count == 0)
        return hold_self(self);
    if ((t->control & 1) == 0) {
        t->control = t->control >> 1;
        return release(self, I_DEV_A);
    }
    t->control = (t->control >> 1) ^ 0xD008;
    return release(self, I_DEV_B);
}

static long idle_report(Task *self)
{
    return ((IdleTask *)self)->control;
}

/* Work task. */

static Task *work_run(Task *self, Packet *pkt)
{
    WorkTask *t = (WorkTask *)self;
    if (pkt == NULL)
        return task_wait(self);
    t->dest = I_HANDLER_A + I_HANDLER_B - t->dest;
    pkt->ident = t->dest;
    pkt->datum = 0;
    for (int i = 0; i <= BUF_SIZE; i++) {
        t->letter++;
        if (t->letter > 26)
            t->letter = 1;
        pkt->data[i] = 64 + t->letter;
    }
    return send(self, pkt);
}

static long work_report(Task *self)
{
    WorkTask *t = (WorkTask *)self;
    return t->dest * 100 + t->letter;
}

/* Handler task. */

static Task *handler_run(Task *self, Packet *pkt)
{
    HandlerTask *t = (HandlerTask *)self;
    if (pkt != NULL) {
        if (pkt->kind == K_WORK)
            t->work_queue = append_packet(pkt, t->work_queue);
        else
            t->dev_queue = append_packet(pkt, t->dev_queue);
    }
    Packet *work = t->work_queue;
    if (work != NULL) {
        long count = work->datum;
        if (count > BUF_SIZE) {
            t->work_queue = work->link;
            return send(self, work);
        }
        Packet *dev = t->dev_queue;
        if (dev != NULL) {
            t->dev_queue = dev->link;
            dev->datum = work->data[count];
            work->datum = count + 1;
            return send(self, dev);
        }
    }
    return task_wait(self);
}

static long handler_report(Task *self)
{
    HandlerTask *t = (HandlerTask *)self;
    long n = 0;
    for (Packet *p = t->work_queue; p != NULL; p = p->link)
        n += 1;
    for (Packet *p = t->dev_queue; p != NULL; p = p->link)
        n += 10;
    return n;
}

/* Device task. */

static Task *device_run(Task *self, Packet *pkt)
{
    DeviceTask *t = (DeviceTask *)self;
    if (pkt == NULL) {
        Packet *p = t->pending;
        if (p == NULL)
            return task_wait(self);
        t->pending = NULL;
        return send(self, p);
    }
    t->pending = pkt;
    t->checksum = (t->checksum * 31 + pkt->datum) % 1000003;
    return hold_self(self);
}

static long device_report(Task *self)
{
    return ((DeviceTask *)self)->checksum;
}

/* Constructors. */

static Task *new_idle(Scheduler *s, long ident, long pri, Packet *wkq, long state, long control, long count)
{
    IdleTask *t = xmalloc(sizeof(IdleTask));
    init_task(&t->base, s, ident, pri, wkq, state, idle_run, idle_report);
    t->control = control;
    t->count = count;
    return &t->base;
}

static Task *new_work(Scheduler *s, long ident, long pri, Packet *wkq, long state)
{
    WorkTask *t = xmalloc(sizeof(WorkTask));
    init_task(&t->base, s, ident, pri, wkq, state, work_run, work_report);
    t->dest = I_HANDLER_A;
    t->letter = 0;
    return &t->base;
}

static Task *new_handler(Scheduler *s, long ident, long pri, Packet *wkq, long state)
{
    HandlerTask *t = xmalloc(sizeof(HandlerTask));
    init_task(&t->base, s, ident, pri, wkq, state, handler_run, handler_report);
    t->work_queue = NULL;
    t->dev_queue = NULL;
    return &t->base;
}

static Task *new_device(Scheduler *s, long ident, long pri, Packet *wkq, long state)
{
    DeviceTask *t = xmalloc(sizeof(DeviceTask));
    init_task(&t->base, s, ident, pri, wkq, state, device_run, device_report);
    t->pending = NULL;
    t->checksum = 0;
    return &t->base;
}

static Scheduler *make_scheduler(long idle_count)
{
    Scheduler *s = xmalloc(sizeof(Scheduler));
    for (int i = 0; i < NUM_TASKS; i++)
        s->table[i] = NULL;
    s->task_list = NULL;
    s->queue_count = 0;
    s->hold_count = 0;
    s->num_packets = 0;

    add_task(s, new_idle(s, I_IDLE, 0, NULL, RUNNING, 1, idle_count));

    Packet *wkq = new_packet(s, NULL, 0, K_WORK);
    wkq = new_packet(s, wkq, 0, K_WORK);
    add_task(s, new_work(s, I_WORK, 1000, wkq, WAITING_WITH_PACKET));

    wkq = new_packet(s, NULL, I_DEV_A, K_DEV);
    wkq = new_packet(s, wkq, I_DEV_A, K_DEV);
    wkq = new_packet(s, wkq, I_DEV_A, K_DEV);
    add_task(s, new_handler(s, I_HANDLER_A, 2000, wkq, WAITING_WITH_PACKET));

    wkq = new_packet(s, NULL, I_DEV_B, K_DEV);
    wkq = new_packet(s, wkq, I_DEV_B, K_DEV);
    wkq = new_packet(s, wkq, I_DEV_B, K_DEV);
    add_task(s, new_handler(s, I_HANDLER_B, 3000, wkq, WAITING_WITH_PACKET));

    add_task(s, new_device(s, I_DEV_A, 4000, NULL, WAITING));
    add_task(s, new_device(s, I_DEV_B, 5000, NULL, WAITING));
    return s;
}

static void free_scheduler(Scheduler *s)
{
    Task *t = s->task_list;
    while (t != NULL) {
        Task *next = t->link;
        free(t);
        t = next;
    }
    for (int i = 0; i < s->num_packets; i++)
        free(s->packets[i]);
    free(s);
}

int main(void)
{
    long total_queue = 0;
    long total_hold = 0;
    long total_report = 0;
    long queue_count = 0;
    long hold_count = 0;
    for (int it = 0; it < ITERATIONS; it++) {
        Scheduler *s = make_scheduler(IDLE_COUNT);
        schedule(s);
        queue_count = s->queue_count;
        hold_count = s->hold_count;
        total_queue += queue_count;
        total_hold += hold_count;
        for (Task *t = s->task_list; t != NULL; t = t->link)
            total_report = (total_report * 7 + t->report(t)) % 1000000007;
        free_scheduler(s);
    }
    printf("iterations %d idle count %d\n", ITERATIONS, IDLE_COUNT);
    printf("queue count %ld hold count %ld\n", queue_count, hold_count);
    printf("counts match the reference: %s\n", queue_count == 23246 && hold_count == 9297 ? "yes" : "no");
    printf("total queue count %ld\n", total_queue);
    printf("total hold count %ld\n", total_hold);
    printf("report checksum %ld\n", total_report);
    return 0;
}
