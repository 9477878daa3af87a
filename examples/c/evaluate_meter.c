/*
 * evaluate_meter.c: what a CRM back end does with the aftersales C API.
 *
 * Loads the hot-water meter policy, evaluates one ticket at a given instant,
 * and prints each SLA deadline and the bill's total. Every call is checked;
 * every object is freed.
 *
 * Build (after scripts/install-c.sh PREFIX, with PREFIX/lib/pkgconfig on
 * PKG_CONFIG_PATH):
 *   cc -std=c11 -o evaluate_meter examples/c/evaluate_meter.c \
 *      $(pkg-config --cflags --libs aftersales)
 * Run from the repository's root:
 *   ./evaluate_meter [examples/policies/hot_water_meter.toml]
 */
#include <aftersales.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A ticket as the CRM sends it (the first of examples/tickets/hot_water_meter.jsonl). */
static const char TICKET[] =
    "{\"id\": \"HWM-260302-0001\", \"opened_at\": \"2026-03-02T08:59:30+08:00\","
    " \"channel\": \"hotline\", \"kind\": \"repair\","
    " \"customer\": {\"id\": \"C-IND-0032\", \"tier\": \"key_account\", \"region\": \"north\", \"zone\": \"A\"},"
    " \"product\": {\"model\": \"HM-DN50-U\", \"category\": \"industrial\", \"serial\": \"HM50U2411-00317\","
    " \"purchased_on\": \"2024-11-05\", \"installed_on\": \"2024-11-20\"},"
    " \"fault\": {\"code\": \"no_reading\", \"component\": \"mbus_module\", \"cause\": \"configuration\","
    " \"complexity\": \"simple\"},"
    " \"events\": [{\"at\": \"2026-03-02T08:59:42+08:00\", \"kind\": \"answered\"},"
    " {\"at\": \"2026-03-02T09:20:00+08:00\", \"kind\": \"contacted\"}]}";

/* 2026-03-03T12:00:00+08:00 in Unix milliseconds. */
static const int64_t AS_OF = 1772510400;

/* Prints a failed call's code, message and location, and frees the error. */
static int fail(const char *what, aftersales_result result, aftersales_error *error) {
    fprintf(stderr, "%s failed: %s (%u): %s", what, aftersales_result_name(result),
            (unsigned)result, aftersales_error_message(error));
    if (aftersales_error_location(error)[0] != '\0') {
        fprintf(stderr, " [at %s]", aftersales_error_location(error));
    }
    fputc('\n', stderr);
    aftersales_error_free(error);
    return 1;
}

/* The end of the JSON value starting at `p` (an object, array, string or
 * scalar): enough to walk the answer without a JSON library. */
static const char *value_end(const char *p) {
    int depth = 0;
    int in_string = 0;
    for (; *p != '\0'; p++) {
        if (in_string) {
            if (*p == '\\' && p[1] != '\0') {
                p++;
            } else if (*p == '"') {
                in_string = 0;
                if (depth == 0) return p + 1;
            }
        } else if (*p == '"') {
            in_string = 1;
        } else if (*p == '{' || *p == '[') {
            depth++;
        } else if (*p == '}' || *p == ']') {
            if (depth == 0) return p;
            if (--depth == 0) return p + 1;
        } else if (depth == 0 && *p == ',') {
            return p;
        }
    }
    return p;
}

/* The value of `"key":` in [from, to), or NULL; its end in *end. */
static const char *find_value(const char *from, const char *to, const char *key,
                              const char **end) {
    char pattern[64];
    snprintf(pattern, sizeof pattern, "\"%s\":", key);
    size_t n = strlen(pattern);
    for (const char *p = from; p + n <= to; p++) {
        if (strncmp(p, pattern, n) == 0) {
            *end = value_end(p + n);
            return p + n;
        }
    }
    return NULL;
}

int main(int argc, char **argv) {
    const char *path = argc > 1 ? argv[1] : "examples/policies/hot_water_meter.toml";
    aftersales_policy *policy = NULL;
    aftersales_error *error = NULL;
    aftersales_result result;

    printf("aftersales %s\n", aftersales_version());
    result = aftersales_policy_load_path(path, strlen(path), &policy, &error);
    if (result != AFTERSALES_RESULT_OK) return fail("loading the policy", result, error);

    const char *id = NULL;
    const char *version = NULL;
    if (aftersales_policy_id(policy, &id) != AFTERSALES_RESULT_OK ||
        aftersales_policy_version(policy, &version) != AFTERSALES_RESULT_OK) {
        aftersales_policy_free(policy);
        return fail("reading the policy", AFTERSALES_RESULT_NULL_PARAMETER, NULL);
    }
    printf("policy %s %s\n", id, version);

    char *answer = NULL;
    size_t answer_len = 0;
    result = aftersales_evaluate(policy, TICKET, strlen(TICKET), AS_OF, 0, &answer,
                                 &answer_len, &error);
    if (result != AFTERSALES_RESULT_OK) {
        /* The answer is the error envelope: log it with the ticket. */
        if (answer != NULL) fprintf(stderr, "%s\n", answer);
        aftersales_string_free(answer);
        aftersales_policy_free(policy);
        return fail("evaluating the ticket", result, error);
    }

    const char *end = answer + answer_len;
    const char *sla_end = NULL;
    const char *sla = find_value(answer, end, "sla", &sla_end);
    const char *as_of_end = NULL;
    const char *as_of = find_value(answer, end, "as_of", &as_of_end);
    if (as_of != NULL) printf("evaluated at %.*s\n", (int)(as_of_end - as_of), as_of);
    for (const char *p = sla; p != NULL && p < sla_end;) {
        const char *metric_end = NULL;
        const char *metric = find_value(p, sla_end, "metric", &metric_end);
        if (metric == NULL) break;
        const char *deadline_end = NULL;
        const char *deadline = find_value(metric_end, sla_end, "deadline", &deadline_end);
        const char *status_end = NULL;
        const char *status = find_value(metric_end, sla_end, "status", &status_end);
        if (deadline == NULL || status == NULL) break;
        printf("  %-10.*s deadline %-27.*s %.*s\n", (int)(metric_end - metric), metric,
               (int)(deadline_end - deadline), deadline, (int)(status_end - status), status);
        p = status_end;
    }
    const char *charges_end = NULL;
    const char *charges = find_value(answer, end, "charges", &charges_end);
    const char *total_end = NULL;
    const char *total = charges == NULL ? NULL : find_value(charges, charges_end, "total", &total_end);
    const char *currency_end = NULL;
    const char *currency =
        charges == NULL ? NULL : find_value(charges, charges_end, "currency", &currency_end);
    if (total != NULL && currency != NULL) {
        printf("  total %.*s %.*s\n", (int)(total_end - total), total,
               (int)(currency_end - currency), currency);
    } else {
        printf("  no charges\n");
    }

    aftersales_string_free(answer);
    aftersales_policy_free(policy);
    return 0;
}
