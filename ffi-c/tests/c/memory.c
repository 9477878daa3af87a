/*
 * memory.c: a long loop of load, evaluate (alone and as a batch), free
 * keeps the resident memory flat. Each round loads the hot-water meter
 * policy, evaluates its tickets alone and as one batch, frees every answer
 * and the policy: the library's worker threads stop with the last policy
 * and start again with the next, so a round leaves nothing behind.
 *
 * Run from the repository's root. Rounds: 20 to warm up, then 100 measured
 * (AFTERSALES_TEST_ROUNDS=1, as under valgrind: 2 rounds and no
 * measurement, valgrind's leak check being the test). The resident set
 * after the measured rounds may exceed the one after warming up by at most
 * 4 MiB (the allocator's arenas and caches settle within the warm-up;
 * a leak of one answer per round would be several MiB).
 */
#include "aftersales.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char METER[] = "examples/policies/hot_water_meter.toml";
static const char METER_TICKETS[] = "examples/tickets/hot_water_meter.jsonl";
/* 2026-03-03T12:00:00+08:00 */
static const int64_t AS_OF = 1772510400;
static const long MAX_GROWTH_KIB = 4096;

/* The resident set in KiB (VmRSS of /proc/self/status), or -1. */
static long resident_kib(void) {
    FILE *f = fopen("/proc/self/status", "r");
    if (f == NULL) return -1;
    char line[256];
    long kib = -1;
    while (fgets(line, sizeof line, f) != NULL) {
        if (strncmp(line, "VmRSS:", 6) == 0) {
            kib = strtol(line + 6, NULL, 10);
            break;
        }
    }
    fclose(f);
    return kib;
}

static char *read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (f == NULL) return NULL;
    if (fseek(f, 0, SEEK_END) != 0) {
        fclose(f);
        return NULL;
    }
    long size = ftell(f);
    rewind(f);
    char *buf = size >= 0 ? malloc((size_t)size + 1) : NULL;
    if (buf != NULL && fread(buf, 1, (size_t)size, f) != (size_t)size) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    if (buf != NULL) {
        buf[size] = '\0';
        *len = (size_t)size;
    }
    return buf;
}

/* One round; 0 when every call succeeded. */
static int round_trip(const char *tickets, size_t len) {
    aftersales_policy *policy = NULL;
    aftersales_error *error = NULL;
    if (aftersales_policy_load_path(METER, strlen(METER), &policy, &error) != AFTERSALES_RESULT_OK) {
        fprintf(stderr, "memory: %s does not load: %s\n", METER, aftersales_error_message(error));
        aftersales_error_free(error);
        return 1;
    }
    int status = 0;
    for (size_t start = 0; start < len;) {
        const char *newline = memchr(tickets + start, '\n', len - start);
        size_t end = newline != NULL ? (size_t)(newline - tickets) : len;
        if (end > start) {
            char *answer = NULL;
            if (aftersales_evaluate(policy, tickets + start, end - start, AS_OF,
                                    AFTERSALES_EVALUATE_TRACE, &answer, NULL, NULL) != AFTERSALES_RESULT_OK) {
                status = 1;
            }
            aftersales_string_free(answer);
        }
        start = end + 1;
    }
    char *answers = NULL;
    if (aftersales_evaluate_batch(policy, tickets, len, AS_OF, 0, &answers, NULL, NULL) != AFTERSALES_RESULT_OK) {
        status = 1;
    }
    aftersales_string_free(answers);
    aftersales_policy_free(policy);
    return status;
}

int main(void) {
    size_t len = 0;
    char *tickets = read_file(METER_TICKETS, &len);
    if (tickets == NULL) {
        fprintf(stderr, "memory: cannot read %s (run from the repository's root)\n", METER_TICKETS);
        return 1;
    }
    const char *rounds_env = getenv("AFTERSALES_TEST_ROUNDS");
    int short_run = rounds_env != NULL && atoi(rounds_env) == 1;
    int warm_up = short_run ? 2 : 20, measured = short_run ? 0 : 100;
    int status = 0;
    for (int i = 0; i < warm_up && status == 0; i++) status = round_trip(tickets, len);
    long before = resident_kib();
    for (int i = 0; i < measured && status == 0; i++) status = round_trip(tickets, len);
    long after = resident_kib();
    free(tickets);
    if (status != 0) {
        fprintf(stderr, "memory: a call failed\n");
        return 1;
    }
    if (measured == 0) {
        printf("memory: %d rounds of load, evaluate, free\n", warm_up);
        return 0;
    }
    printf("memory: %d rounds of load, evaluate, free: resident %ld KiB after %d, %ld KiB after %d more\n",
           warm_up + measured, before, warm_up, after, measured);
    if (before < 0 || after < 0 || after - before > MAX_GROWTH_KIB) {
        fprintf(stderr, "memory: the resident set grew by %ld KiB (at most %ld allowed)\n", after - before,
                MAX_GROWTH_KIB);
        return 1;
    }
    return 0;
}
