/*
 * bench_c.c: throughput of the C API, as a C back end sees it.
 *
 * - evaluate: aftersales_evaluate on each example ticket of a pack in turn
 *   (ticket JSON in, answer JSON out, the string freed), on one thread and
 *   on THREADS threads sharing one policy;
 * - batch: aftersales_evaluate_batch on 10 000 tickets (the pack's tickets
 *   repeated) as JSON lines, on all cores;
 * - calendar: the fast path on the meter policy's `office` calendar
 *   (Asia/Shanghai, weekdays 08:30-12:00 and 13:00-17:30, 2026 holidays),
 *   1,024 instants spread over 2026 (i * 7919 mod 525,600 minutes into the
 *   year, as benches/benches/calendar.rs), no JSON.
 *
 * Usage, from the repository's root (see BENCHMARKS.md):
 *   bench_c [SECONDS]      (each figure measured for SECONDS, default 3)
 */
#define _POSIX_C_SOURCE 199309L
#include <aftersales.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_TICKETS 64
#define THREADS 2
#define INSTANTS 1024

static double seconds = 3.0;

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static char *read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (f == NULL) return NULL;
    size_t cap = 1 << 16, n = 0, got;
    char *buf = malloc(cap);
    while (buf != NULL && (got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            char *bigger = realloc(buf, cap *= 2);
            if (bigger == NULL) free(buf);
            buf = bigger;
        }
    }
    fclose(f);
    *len = n;
    return buf;
}

static void die(const char *what, aftersales_error *error) {
    fprintf(stderr, "bench_c: %s: %s\n", what, aftersales_error_message(error));
    aftersales_error_free(error);
    exit(1);
}

struct pack {
    const char *name;
    int64_t as_of;
    aftersales_policy *policy;
    char *text;
    size_t len;
    int count;
    const char *tickets[MAX_TICKETS];
    size_t lengths[MAX_TICKETS];
};

struct job {
    struct pack *pack;
    double until;
    long evaluations;
};

static void *evaluate_loop(void *arg) {
    struct job *job = arg;
    struct pack *p = job->pack;
    long n = 0;
    while (now() < job->until) {
        for (int i = 0; i < p->count; i++) {
            char *answer = NULL;
            aftersales_error *error = NULL;
            aftersales_result r = aftersales_evaluate(p->policy, p->tickets[i], p->lengths[i],
                                                      p->as_of, 0, &answer, NULL, &error);
            if (r != AFTERSALES_RESULT_OK) die("evaluate", error);
            aftersales_string_free(answer);
        }
        n += p->count;
    }
    job->evaluations = n;
    return NULL;
}

static double evaluate_rate(struct pack *p, int threads) {
    pthread_t ids[THREADS];
    struct job jobs[THREADS];
    double start = now();
    for (int t = 0; t < threads; t++) {
        jobs[t] = (struct job){p, start + seconds, 0};
        if (pthread_create(&ids[t], NULL, evaluate_loop, &jobs[t]) != 0) exit(1);
    }
    long total = 0;
    for (int t = 0; t < threads; t++) {
        pthread_join(ids[t], NULL);
        total += jobs[t].evaluations;
    }
    return (double)total / (now() - start);
}

static double batch_rate(struct pack *p) {
    /* 10 000 tickets: the pack's lines repeated. */
    size_t cap = 0;
    for (int i = 0; i < p->count; i++) cap += p->lengths[i] + 1;
    cap = cap * (10000 / (size_t)p->count + 1);
    char *batch = malloc(cap);
    size_t len = 0;
    for (int k = 0; k < 10000; k++) {
        int i = k % p->count;
        memcpy(batch + len, p->tickets[i], p->lengths[i]);
        len += p->lengths[i];
        batch[len++] = '\n';
    }
    long n = 0;
    double start = now();
    while (now() < start + seconds) {
        char *answers = NULL;
        aftersales_error *error = NULL;
        if (aftersales_evaluate_batch(p->policy, batch, len, p->as_of, 0, &answers, NULL, &error) !=
            AFTERSALES_RESULT_OK)
            die("batch", error);
        aftersales_string_free(answers);
        n += 10000;
    }
    double rate = (double)n / (now() - start);
    free(batch);
    return rate;
}

static void load(struct pack *p) {
    char path[256];
    aftersales_error *error = NULL;
    snprintf(path, sizeof path, "examples/policies/%s.toml", p->name);
    if (aftersales_policy_load_path(path, strlen(path), &p->policy, &error) != AFTERSALES_RESULT_OK)
        die(path, error);
    snprintf(path, sizeof path, "examples/tickets/%s.jsonl", p->name);
    p->text = read_file(path, &p->len);
    if (p->text == NULL) {
        fprintf(stderr, "bench_c: cannot read %s\n", path);
        exit(1);
    }
    for (char *line = p->text; line < p->text + p->len && p->count < MAX_TICKETS;) {
        char *nl = memchr(line, '\n', (size_t)(p->text + p->len - line));
        size_t n = nl != NULL ? (size_t)(nl - line) : (size_t)(p->text + p->len - line);
        if (n > 0) {
            p->tickets[p->count] = line;
            p->lengths[p->count] = n;
            p->count++;
        }
        line += n + 1;
    }
}

enum operation { ADD_24H, BETWEEN_1D, IS_OPEN, NEXT_OPEN, ADD_5_DAYS };

static double calendar_rate(const aftersales_calendar *c, const int64_t *instants, enum operation op) {
    long n = 0;
    int64_t sink = 0;
    double start = now();
    while (now() < start + seconds) {
        for (int i = 0; i < INSTANTS; i++) {
            int64_t t = instants[i], out = 0;
            bool open = false;
            aftersales_result r = AFTERSALES_RESULT_OK;
            switch (op) {
            case ADD_24H: r = aftersales_calendar_add(c, t, 86400, &out, NULL); break;
            case BETWEEN_1D: r = aftersales_calendar_between(c, t, t + 86400, &out, NULL); break;
            case IS_OPEN: r = aftersales_calendar_is_open(c, t, &open, NULL); out = open; break;
            case NEXT_OPEN: r = aftersales_calendar_next_open(c, t, &out, NULL); break;
            case ADD_5_DAYS: r = aftersales_calendar_add_business_days(c, t, 5, &out, NULL); break;
            }
            if (r != AFTERSALES_RESULT_OK) die("calendar", NULL);
            sink += out;
        }
        n += INSTANTS;
    }
    double rate = (double)n / (now() - start);
    if (sink == 42) printf(" ");
    return rate;
}

int main(int argc, char **argv) {
    if (argc > 1) seconds = atof(argv[1]);
    printf("aftersales %s C API, %.0f s per figure\n\n", aftersales_version(), seconds);
    struct pack packs[] = {
        /* as_of from examples/packs.txt */
        {.name = "hot_water_meter", .as_of = 1772510400}, /* 2026-03-03T12:00:00+08:00 */
        {.name = "smart_home", .as_of = 1775563200},      /* 2026-04-07T20:00:00+08:00 */
        {.name = "online_retail", .as_of = 1771902000},   /* 2026-02-24T11:00:00+08:00 */
    };
    printf("| pack (tickets) | aftersales_evaluate, 1 thread | %d threads | aftersales_evaluate_batch |\n", THREADS);
    printf("|---|---:|---:|---:|\n");
    for (size_t k = 0; k < sizeof packs / sizeof packs[0]; k++) {
        struct pack *p = &packs[k];
        load(p);
        double one = evaluate_rate(p, 1);
        double many = evaluate_rate(p, THREADS);
        double batch = batch_rate(p);
        printf("| %s (%d) | %.0f /s (%.1f us) | %.0f /s | %.0f /s |\n", p->name, p->count, one,
               1e6 / one, many, batch);
    }

    const aftersales_calendar *office = NULL;
    aftersales_error *error = NULL;
    if (aftersales_policy_calendar(packs[0].policy, "office", 6, &office, &error) != AFTERSALES_RESULT_OK)
        die("calendar", error);
    int64_t instants[INSTANTS];
    const int64_t year = 1767196800; /* 2026-01-01T00:00:00+08:00 */
    for (int i = 0; i < INSTANTS; i++) instants[i] = year + (int64_t)((i * 7919L) % 525600L) * 60;
    static const char *names[] = {"add 24 h", "between 1 day", "is_open", "next_open",
                                  "add_business_days 5"};
    printf("\n| calendar operation | operations/s | per operation |\n|---|---:|---:|\n");
    for (int op = ADD_24H; op <= ADD_5_DAYS; op++) {
        double rate = calendar_rate(office, instants, (enum operation)op);
        printf("| %s | %.0f /s | %.0f ns |\n", names[op], rate, 1e9 / rate);
    }
    for (size_t k = 0; k < sizeof packs / sizeof packs[0]; k++) {
        aftersales_policy_free(packs[k].policy);
        free(packs[k].text);
    }
    return 0;
}
