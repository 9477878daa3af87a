/*
 * conformance.c POLICY TICKETS AS_OF_MS [FLAGS]
 *
 * Evaluates a ticket file through the C API and prints the JSON lines
 * answers on stdout, for scripts/test-c.sh to compare byte for byte with
 * `aftersales eval POLICY TICKETS --as-of AS_OF`. (A ticket's answer in a
 * batch may differ from its answer alone: credit caps per period hold
 * across the batch.) FLAGS (decimal, default 0) are the evaluation flags,
 * e.g. 2 for AFTERSALES_EVALUATE_LANG_ZH_CN, to compare with `--lang zh-CN`.
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

static int fail(const char *what, aftersales_result result, aftersales_error *error) {
    fprintf(stderr, "conformance: %s: %s (%u): %s\n", what, aftersales_result_name(result),
            (unsigned)result, aftersales_error_message(error));
    aftersales_error_free(error);
    return 1;
}

int main(int argc, char **argv) {
    if (argc != 4 && argc != 5) {
        fprintf(stderr, "usage: conformance POLICY TICKETS AS_OF_MS [FLAGS]\n");
        return 2;
    }
    char *end = NULL;
    int64_t as_of_ms = strtoll(argv[3], &end, 10);
    if (end == argv[3] || *end != '\0') {
        fprintf(stderr, "conformance: AS_OF_MS `%s` is not an integer\n", argv[3]);
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
    char *answers = NULL;
    size_t answers_len = 0;
    result = aftersales_evaluate_batch(policy, tickets, len, as_of_ms, flags, &answers, &answers_len, &error);
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
