/*
 * conformance.c POLICY TICKETS AS_OF [FLAGS]
 * conformance.c --alone POLICY TICKETS AS_OF [FLAGS]
 *
 * Evaluates a ticket file through the C API and prints the JSON lines
 * answers on stdout, for scripts/test-c.sh to compare byte for byte with
 * `aftersales eval POLICY TICKETS --as-of AS_OF` and with the conformance
 * cases' expected files. AS_OF is Unix seconds. FLAGS (decimal, default 0)
 * are the evaluation flags, e.g. 2 for AFTERSALES_EVALUATE_LANG_ZH_CN, to
 * compare with `--lang zh-CN`.
 *
 * With --alone, every line of TICKETS is evaluated alone twice: with
 * aftersales_evaluate and as a batch of one with aftersales_evaluate_batch;
 * the two must be the same bytes (else exit 1), and the answers are printed
 * one per line.
 * Exit status 0 when every call succeeded.
 */
#include "aftersales.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* Each line of `tickets` alone and as a batch of one: equal bytes, printed. */
static int alone(const aftersales_policy *policy, const char *tickets, size_t len, int64_t as_of,
                 uint32_t flags) {
    size_t start = 0;
    int status = 0;
    while (start < len && status == 0) {
        const char *newline = memchr(tickets + start, '\n', len - start);
        size_t end = newline != NULL ? (size_t)(newline - tickets) : len;
        if (end > start) {
            char *single = NULL, *batch = NULL;
            size_t single_len = 0, batch_len = 0;
            aftersales_error *error = NULL;
            aftersales_result r = aftersales_evaluate(policy, tickets + start, end - start, as_of, flags,
                                                      &single, &single_len, &error);
            aftersales_error_free(error);
            error = NULL;
            aftersales_result b = aftersales_evaluate_batch(policy, tickets + start, end - start, as_of,
                                                            flags, &batch, &batch_len, &error);
            aftersales_error_free(error);
            if (single == NULL || b != AFTERSALES_RESULT_OK || batch == NULL) {
                fprintf(stderr, "conformance: no answer for the ticket at byte %zu (%s)\n", start,
                        aftersales_result_name(r));
                status = 1;
            } else if (batch_len != single_len + 1 || memcmp(single, batch, single_len) != 0) {
                /* A batch's answer ends with its line break; an error's
                 * position is its line in the batch (1), alone none. */
                if (r == AFTERSALES_RESULT_OK) {
                    fprintf(stderr, "conformance: alone and as a batch of one differ:\n%s\n%s", single,
                            batch);
                    status = 1;
                }
            }
            if (single != NULL) {
                fwrite(single, 1, single_len, stdout);
                fputc('\n', stdout);
            }
            aftersales_string_free(single);
            aftersales_string_free(batch);
        }
        start = end + 1;
    }
    return status;
}

static int fail(const char *what, aftersales_result result, aftersales_error *error) {
    fprintf(stderr, "conformance: %s: %s (%u): %s\n", what, aftersales_result_name(result),
            (unsigned)result, aftersales_error_message(error));
    aftersales_error_free(error);
    return 1;
}

int main(int argc, char **argv) {
    int one_by_one = argc > 1 && strcmp(argv[1], "--alone") == 0;
    if (one_by_one) {
        argv++;
        argc--;
    }
    if (argc != 4 && argc != 5) {
        fprintf(stderr, "usage: conformance [--alone] POLICY TICKETS AS_OF [FLAGS]\n");
        return 2;
    }
    char *end = NULL;
    int64_t as_of = strtoll(argv[3], &end, 10);
    if (end == argv[3] || *end != '\0') {
        fprintf(stderr, "conformance: AS_OF `%s` is not an integer (Unix seconds)\n", argv[3]);
        return 2;
    }
    uint32_t flags = 0;
    if (argc == 5) {
        unsigned long parsed = strtoul(argv[4], &end, 10);
        if (end == argv[4] || *end != '\0' || parsed > UINT32_MAX) {
            fprintf(stderr, "conformance: FLAGS `%s` is not a flag set\n", argv[4]);
            return 2;
        }
        flags = (uint32_t)parsed;
    }
    aftersales_policy *policy = NULL;
    aftersales_error *error = NULL;
    aftersales_result result = aftersales_policy_load_path(argv[1], strlen(argv[1]), &policy, &error);
    if (result != AFTERSALES_RESULT_OK) return fail("loading the policy", result, error);

    size_t len = 0;
    char *tickets = read_file(argv[2], &len);
    if (tickets == NULL) {
        fprintf(stderr, "conformance: cannot read %s\n", argv[2]);
        aftersales_policy_free(policy);
        return 2;
    }
    if (one_by_one) {
        int status = alone(policy, tickets, len, as_of, flags);
        free(tickets);
        aftersales_policy_free(policy);
        return status;
    }
    char *answers = NULL;
    size_t answers_len = 0;
    result = aftersales_evaluate_batch(policy, tickets, len, as_of, flags, &answers, &answers_len, &error);
    if (result != AFTERSALES_RESULT_OK) {
        free(tickets);
        aftersales_policy_free(policy);
        return fail("evaluating the batch", result, error);
    }
    int status = fwrite(answers, 1, answers_len, stdout) == answers_len ? 0 : 1;

    aftersales_string_free(answers);
    free(tickets);
    aftersales_policy_free(policy);
    return status;
}
