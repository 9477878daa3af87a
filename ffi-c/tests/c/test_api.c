/*
 * test_api.c: every function of aftersales.h and every error path.
 * Run from the repository's root (it reads examples/). Exit status 0 when
 * every check holds; each failed check prints its line.
 *
 * Calendar figures are worked out by hand on the hot-water meter policy's
 * `office` calendar: Asia/Shanghai (UTC+8), weekdays 08:30-12:00 and
 * 13:00-17:30, holidays 2026-04-04..06. Unix seconds are those instants.
 */
#define _POSIX_C_SOURCE 200112L /* setenv */
#include "aftersales.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures = 0;
static int checks = 0;

#define CHECK(cond)                                                             \
    do {                                                                        \
        checks++;                                                               \
        if (!(cond)) {                                                          \
            failures++;                                                         \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
        }                                                                       \
    } while (0)

#define CHECK_RESULT(got, want)                                                 \
    do {                                                                        \
        aftersales_result got_ = (got);                                         \
        checks++;                                                               \
        if (got_ != (want)) {                                                   \
            failures++;                                                         \
            fprintf(stderr, "%s:%d: %s gave %s (%u), expected %s\n", __FILE__,  \
                    __LINE__, #got, aftersales_result_name(got_), (unsigned)got_, #want); \
        }                                                                       \
    } while (0)

static const char METER[] = "examples/policies/hot_water_meter.toml";
static const char METER_TICKETS[] = "examples/tickets/hot_water_meter.jsonl";

/* 2026-03-03T12:00:00+08:00 */
static const int64_t AS_OF = 1772510400;

static const char TICKET[] =
    "{\"id\": \"T-1\", \"opened_at\": \"2026-03-02T08:59:30+08:00\", \"channel\": \"hotline\"}";

/* A policy whose severity rule never ends: Rhai's operation limit stops it. */
static const char SPIN_TOML[] =
    "[policy]\n"
    "id = \"spin\"\n"
    "version = \"1\"\n"
    "currency = \"CNY\"\n"
    "timezone = \"Asia/Shanghai\"\n"
    "rules = \"spin.rhai\"\n"
    "[severity]\n"
    "levels = [\"high\", \"low\"]\n"
    "default = \"low\"\n"
    "rule = \"severity\"\n"
    "[[targets]]\n"
    "metric = \"resolve\"\n"
    "stop = \"resolved\"\n"
    "target = \"1h\"\n";
static const char SPIN_RULES[] = "fn severity(ticket) { let n = 0; loop { n += 1; } }\n";

static char *read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (f == NULL) return NULL;
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    size_t got;
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

static aftersales_policy *load_meter(void) {
    aftersales_policy *policy = NULL;
    aftersales_error *error = NULL;
    aftersales_result result = aftersales_policy_load_path(METER, strlen(METER), &policy, &error);
    if (result != AFTERSALES_RESULT_OK) {
        fprintf(stderr, "cannot load %s: %s\n", METER, aftersales_error_message(error));
        aftersales_error_free(error);
        exit(2);
    }
    return policy;
}

static void test_version(void) {
    CHECK(strcmp(aftersales_version(), AFTERSALES_VERSION) == 0);
    CHECK(strcmp(aftersales_result_name(AFTERSALES_RESULT_OK), "ok") == 0);
    CHECK(strcmp(aftersales_result_name(AFTERSALES_RESULT_RULE), "rule") == 0);
    CHECK(strcmp(aftersales_result_name(AFTERSALES_RESULT_NULL_PARAMETER), "null_parameter") == 0);
    CHECK(strcmp(aftersales_result_name(AFTERSALES_RESULT_BUFFER_TOO_SMALL), "buffer_too_small") == 0);
    CHECK(strcmp(aftersales_result_name(AFTERSALES_RESULT_TIMEOUT), "timeout") == 0);
    CHECK(strcmp(aftersales_result_name(8), "unknown") == 0);
    CHECK(strcmp(aftersales_result_name(99999), "unknown") == 0);
}

static void test_load_and_accessors(void) {
    aftersales_policy *policy = load_meter();
    const char *id = NULL, *version = NULL, *digest = NULL;
    CHECK_RESULT(aftersales_policy_id(policy, &id), AFTERSALES_RESULT_OK);
    CHECK_RESULT(aftersales_policy_version(policy, &version), AFTERSALES_RESULT_OK);
    CHECK_RESULT(aftersales_policy_digest(policy, &digest), AFTERSALES_RESULT_OK);
    CHECK(id != NULL && strcmp(id, "hot-water-meter") == 0);
    CHECK(version != NULL && strcmp(version, "2026.1") == 0);
    /* "sha256:" and 64 hex digits */
    CHECK(digest != NULL && strncmp(digest, "sha256:", 7) == 0 && strlen(digest) == 71);

    /* The same policy from its texts has the same digest. */
    size_t toml_len = 0, rules_len = 0;
    char *toml = read_file(METER, &toml_len);
    char *rules = read_file("examples/policies/hot_water_meter.rhai", &rules_len);
    CHECK(toml != NULL && rules != NULL);
    aftersales_rule_text rule = {"hot_water_meter.rhai", strlen("hot_water_meter.rhai"), rules, rules_len};
    aftersales_policy *from_text = NULL;
    aftersales_error *error = NULL;
    CHECK_RESULT(aftersales_policy_load_text(toml, toml_len, &rule, 1, &from_text, &error),
                 AFTERSALES_RESULT_OK);
    CHECK(error == NULL);
    const char *digest2 = NULL;
    CHECK_RESULT(aftersales_policy_digest(from_text, &digest2), AFTERSALES_RESULT_OK);
    CHECK(digest2 != NULL && digest != NULL && strcmp(digest, digest2) == 0);
    aftersales_policy_free(from_text);

    /* Without its rule file the text cannot compile: a policy error. */
    aftersales_policy *none = NULL;
    CHECK_RESULT(aftersales_policy_load_text(toml, toml_len, NULL, 0, &none, &error),
                 AFTERSALES_RESULT_POLICY);
    CHECK(none == NULL);
    CHECK(aftersales_error_code(error) == AFTERSALES_RESULT_POLICY);
    CHECK(strstr(aftersales_error_message(error), "hot_water_meter.rhai") != NULL);
    aftersales_error_free(error);

    /* A rule file given twice is refused. */
    aftersales_rule_text twice[2] = {rule, rule};
    CHECK_RESULT(aftersales_policy_load_text(toml, toml_len, twice, 2, &none, &error),
                 AFTERSALES_RESULT_INPUT);
    CHECK(strcmp(aftersales_error_location(error), "rules[1].name") == 0);
    aftersales_error_free(error);

    /* A file that does not exist: io, located at the path. */
    const char *missing = "examples/policies/missing.toml";
    CHECK_RESULT(aftersales_policy_load_path(missing, strlen(missing), &none, &error),
                 AFTERSALES_RESULT_IO);
    CHECK(strcmp(aftersales_error_location(error), missing) == 0);
    CHECK(strstr(aftersales_error_json(error), "\"kind\":\"io\",\"code\":5") != NULL);
    aftersales_error_free(error);

    /* Manifest text that is not TOML: policy, with a location. */
    const char *bad = "[policy]\nid = \n";
    CHECK_RESULT(aftersales_policy_load_text(bad, strlen(bad), NULL, 0, &none, &error),
                 AFTERSALES_RESULT_POLICY);
    CHECK(aftersales_error_location(error)[0] != '\0');
    /* The JSON's location is the object {path, line, column}; the string
     * is the same written as text: the path, then "(line L, column C)". */
    CHECK(strstr(aftersales_error_json(error), "\"location\":{\"path\":") != NULL);
    CHECK(strstr(aftersales_error_json(error), "\"line\":2") != NULL);
    CHECK(strstr(aftersales_error_location(error), "line 2") != NULL);
    aftersales_error_free(error);

    /* Lengths are honoured: only the first 8 bytes of the path are read. */
    CHECK_RESULT(aftersales_policy_load_path(METER, 8, &none, &error), AFTERSALES_RESULT_IO);
    CHECK(strcmp(aftersales_error_location(error), "examples") == 0);
    aftersales_error_free(error);

    free(toml);
    free(rules);
    aftersales_policy_free(policy);
}

static void test_check(void) {
    char *diagnostics = NULL;
    size_t len = 0;
    aftersales_error *error = NULL;
    CHECK_RESULT(aftersales_check_path(METER, strlen(METER), &diagnostics, &len, &error),
                 AFTERSALES_RESULT_OK);
    CHECK(diagnostics != NULL && diagnostics[0] == '[' && strlen(diagnostics) == len);
    CHECK(diagnostics != NULL && strstr(diagnostics, "\"level\":\"error\"") == NULL);
    aftersales_string_free(diagnostics);

    /* A policy with an error: still OK, the error is in the diagnostics. */
    const char *bad = "[policy]\nid = \"x\"\nversion = \"1\"\ncurrency = \"CNY\"\ntimezone = \"Mars/Olympus\"\n";
    diagnostics = NULL;
    CHECK_RESULT(aftersales_check_text(bad, strlen(bad), NULL, 0, &diagnostics, NULL, &error),
                 AFTERSALES_RESULT_OK);
    CHECK(diagnostics != NULL && strstr(diagnostics, "\"level\":\"error\"") != NULL);
    CHECK(diagnostics != NULL && strstr(diagnostics, "Mars/Olympus") != NULL);
    aftersales_string_free(diagnostics);

    /* A manifest that is not there: an IO error, as loading it is. */
    const char missing[] = "examples/policies/no_such_policy.toml";
    diagnostics = NULL;
    CHECK_RESULT(aftersales_check_path(missing, strlen(missing), &diagnostics, &len, &error),
                 AFTERSALES_RESULT_IO);
    CHECK(diagnostics == NULL);
    CHECK(aftersales_error_code(error) == AFTERSALES_RESULT_IO);
    CHECK(strstr(aftersales_error_message(error), "no_such_policy.toml") != NULL);
    CHECK(strstr(aftersales_error_json(error), "\"kind\":\"io\",\"code\":5") != NULL);
    aftersales_error *load_error = NULL;
    aftersales_policy *none = NULL;
    CHECK_RESULT(aftersales_policy_load_path(missing, strlen(missing), &none, &load_error),
                 AFTERSALES_RESULT_IO);
    CHECK(strcmp(aftersales_error_json(error), aftersales_error_json(load_error)) == 0);
    aftersales_error_free(load_error);
    aftersales_error_free(error);
}

static void test_evaluate(aftersales_policy *policy) {
    char *answer = NULL;
    size_t len = 0;
    aftersales_error *error = NULL;
    CHECK_RESULT(aftersales_evaluate(policy, TICKET, strlen(TICKET), AS_OF, 0, &answer, &len, &error),
                 AFTERSALES_RESULT_OK);
    CHECK(error == NULL);
    CHECK(answer != NULL && strlen(answer) == len);
    CHECK(answer != NULL && strncmp(answer, "{\"ticket\":\"T-1\",", 16) == 0);
    /* answer: 1 minute from 08:59:30 on the 24x7 calendar = 09:00:30. */
    CHECK(answer != NULL && strstr(answer, "\"metric\":\"answer\"") != NULL);
    CHECK(answer != NULL && strstr(answer, "\"deadline\":\"2026-03-02T09:00:30+08:00\"") != NULL);
    /* contact: no severity rule input, household -> normal -> 2h: 10:59:30. */
    CHECK(answer != NULL && strstr(answer, "\"deadline\":\"2026-03-02T10:59:30+08:00\"") != NULL);
    CHECK(answer != NULL && strstr(answer, "\"as_of\":\"2026-03-03T12:00:00+08:00\"") != NULL);
    CHECK(answer != NULL && strstr(answer, "\"trace\"") == NULL);
    aftersales_string_free(answer);

    /* With the trace flag, the answer has the rules that fired. */
    answer = NULL;
    CHECK_RESULT(aftersales_evaluate(policy, TICKET, strlen(TICKET), AS_OF,
                                     AFTERSALES_EVALUATE_TRACE, &answer, NULL, NULL),
                 AFTERSALES_RESULT_OK);
    CHECK(answer != NULL && strstr(answer, "\"trace\":[{") != NULL);
    aftersales_string_free(answer);

    /* Unknown flags are refused before anything is evaluated. */
    answer = NULL;
    CHECK_RESULT(aftersales_evaluate(policy, TICKET, strlen(TICKET), AS_OF, 16, &answer, NULL, &error),
                 AFTERSALES_RESULT_INPUT);
    CHECK(answer == NULL);
    CHECK(strcmp(aftersales_error_location(error), "flags") == 0);
    aftersales_error_free(error);

    /* as_of from the ticket: this ticket has none, so it is a ticket error
     * naming the field, and the envelope still comes back. */
    answer = NULL;
    CHECK_RESULT(aftersales_evaluate(policy, TICKET, strlen(TICKET), AFTERSALES_AS_OF_FROM_TICKET, 0,
                                     &answer, NULL, &error),
                 AFTERSALES_RESULT_TICKET);
    CHECK(strcmp(aftersales_error_location(error), "as_of") == 0);
    CHECK(answer != NULL && strncmp(answer, "{\"position\":null,\"ticket\":\"T-1\",\"error\":{\"kind\":\"ticket\",\"code\":2,", 66) == 0);
    aftersales_error_free(error);
    aftersales_string_free(answer);

    /* A ticket with its own as_of evaluates with the sentinel. */
    const char *own = "{\"id\": \"T-2\", \"opened_at\": \"2026-03-02T08:59:30+08:00\", \"as_of\": \"2026-03-02T09:00:00+08:00\"}";
    answer = NULL;
    CHECK_RESULT(aftersales_evaluate(policy, own, strlen(own), AFTERSALES_AS_OF_FROM_TICKET, 0,
                                     &answer, NULL, &error),
                 AFTERSALES_RESULT_OK);
    CHECK(answer != NULL && strstr(answer, "\"as_of\":\"2026-03-02T09:00:00+08:00\"") != NULL);
    aftersales_string_free(answer);

    /* An as_of no instant can have. */
    answer = NULL;
    CHECK_RESULT(aftersales_evaluate(policy, TICKET, strlen(TICKET), INT64_MAX, 0, &answer, NULL, &error),
                 AFTERSALES_RESULT_INPUT);
    CHECK(strcmp(aftersales_error_location(error), "as_of") == 0);
    aftersales_error_free(error);
}

/* Reasons in Simplified Chinese, as codes, or left out. The answer metric's
 * target is the fixed "1m" of targets[0]: "1 分钟" in Chinese. */
static void test_reasons(aftersales_policy *policy) {
    char *answer = NULL;
    aftersales_error *error = NULL;
    CHECK_RESULT(aftersales_evaluate(policy, TICKET, strlen(TICKET), AS_OF,
                                     AFTERSALES_EVALUATE_LANG_ZH_CN, &answer, NULL, &error),
                 AFTERSALES_RESULT_OK);
    CHECK(answer != NULL && strstr(answer, "\"because\":[\"目标 1 分钟：targets[0].target\"]") != NULL);
    CHECK(answer != NULL && strstr(answer, "target PT1M") == NULL);
    aftersales_string_free(answer);

    answer = NULL;
    CHECK_RESULT(aftersales_evaluate(policy, TICKET, strlen(TICKET), AS_OF,
                                     AFTERSALES_EVALUATE_LANG_ZH_CN | AFTERSALES_EVALUATE_BECAUSE_CODES,
                                     &answer, NULL, &error),
                 AFTERSALES_RESULT_OK);
    CHECK(answer != NULL &&
          strstr(answer, "\"because\":[{\"code\":\"sla.target\",\"args\":{\"target\":\"PT1M\","
                         "\"path\":\"targets[0].target\"}}]") != NULL);
    aftersales_string_free(answer);

    answer = NULL;
    CHECK_RESULT(aftersales_evaluate(policy, TICKET, strlen(TICKET), AS_OF,
                                     AFTERSALES_EVALUATE_BECAUSE_NONE, &answer, NULL, &error),
                 AFTERSALES_RESULT_OK);
    CHECK(answer != NULL && strstr(answer, "targets[0].target") == NULL);
    CHECK(answer != NULL && strstr(answer, "\"deadline\":\"2026-03-02T09:00:30+08:00\"") != NULL);
    aftersales_string_free(answer);

    /* Codes and none together: refused, naming `flags`. */
    answer = NULL;
    CHECK_RESULT(aftersales_evaluate(policy, TICKET, strlen(TICKET), AS_OF,
                                     AFTERSALES_EVALUATE_BECAUSE_CODES | AFTERSALES_EVALUATE_BECAUSE_NONE,
                                     &answer, NULL, &error),
                 AFTERSALES_RESULT_INPUT);
    CHECK(answer == NULL);
    CHECK(error != NULL && strcmp(aftersales_error_location(error), "flags") == 0);
    aftersales_error_free(error);
}

static void test_bad_input(aftersales_policy *policy) {
    char *answer = NULL;
    aftersales_error *error = NULL;

    /* Malformed JSON: an input error, with the envelope. */
    const char *malformed = "{\"id\": \"T-1\", \"opened_at\": ";
    CHECK_RESULT(aftersales_evaluate(policy, malformed, strlen(malformed), AS_OF, 0, &answer, NULL, &error),
                 AFTERSALES_RESULT_INPUT);
    CHECK(answer != NULL && strstr(answer, "\"error\":{\"kind\":\"input\",\"code\":6,") != NULL);
    CHECK(strstr(aftersales_error_json(error), "\"kind\":\"input\"") != NULL);
    aftersales_string_free(answer);
    aftersales_error_free(error);

    /* A truncated buffer: the length given wins over the NUL at the end. */
    answer = NULL;
    CHECK_RESULT(aftersales_evaluate(policy, TICKET, strlen(TICKET) - 1, AS_OF, 0, &answer, NULL, &error),
                 AFTERSALES_RESULT_INPUT);
    CHECK(answer != NULL && strstr(answer, "\"error\":{\"kind\":\"input\"") != NULL);
    aftersales_string_free(answer);
    aftersales_error_free(error);

    /* A field of the wrong type: a ticket error naming the field. */
    const char *wrong = "{\"id\": \"T-9\", \"opened_at\": \"yesterday\"}";
    answer = NULL;
    CHECK_RESULT(aftersales_evaluate(policy, wrong, strlen(wrong), AS_OF, 0, &answer, NULL, &error),
                 AFTERSALES_RESULT_TICKET);
    CHECK(strcmp(aftersales_error_location(error), "opened_at") == 0);
    aftersales_string_free(answer);
    aftersales_error_free(error);

    /* Invalid UTF-8 (a lone continuation byte after the id): refused, no answer. */
    const char invalid[] = "{\"id\": \"T-\x80\"}";
    answer = NULL;
    CHECK_RESULT(aftersales_evaluate(policy, invalid, strlen(invalid), AS_OF, 0, &answer, NULL, &error),
                 AFTERSALES_RESULT_INVALID_UTF8);
    CHECK(answer == NULL);
    CHECK(strcmp(aftersales_error_location(error), "ticket") == 0);
    /* `{"id": "T-` is 10 valid bytes. */
    CHECK(strstr(aftersales_error_message(error), "valid up to byte 10") != NULL);
    CHECK(strstr(aftersales_error_json(error), "\"kind\":\"invalid_utf8\",\"code\":101") != NULL);
    aftersales_error_free(error);

    aftersales_policy *none = NULL;
    const char bad_path[] = "examples/\xff.toml";
    CHECK_RESULT(aftersales_policy_load_path(bad_path, strlen(bad_path), &none, &error),
                 AFTERSALES_RESULT_INVALID_UTF8);
    CHECK(none == NULL);
    aftersales_error_free(error);

    /* The message copied into a caller's buffer, whole and truncated. */
    const char *nul = NULL;
    CHECK_RESULT(aftersales_evaluate(policy, nul, 3, AS_OF, 0, &answer, NULL, &error),
                 AFTERSALES_RESULT_NULL_PARAMETER);
    /* "`ticket` is NULL" is 16 bytes. */
    CHECK(strcmp(aftersales_error_message(error), "`ticket` is NULL") == 0);
    char big[64];
    size_t needed = 0;
    CHECK_RESULT(aftersales_error_message_copy(error, big, sizeof big, &needed), AFTERSALES_RESULT_OK);
    CHECK(needed == 16 && strcmp(big, "`ticket` is NULL") == 0);
    char small[8];
    needed = 0;
    CHECK_RESULT(aftersales_error_message_copy(error, small, sizeof small, &needed),
                 AFTERSALES_RESULT_BUFFER_TOO_SMALL);
    /* 7 bytes and the NUL. */
    CHECK(needed == 16 && strcmp(small, "`ticket") == 0);
    /* A buffer of 0 bytes: nothing written, the length given. */
    small[0] = 'x';
    needed = 0;
    CHECK_RESULT(aftersales_error_message_copy(error, small, 0, &needed), AFTERSALES_RESULT_BUFFER_TOO_SMALL);
    CHECK(needed == 16 && small[0] == 'x');
    /* The length alone, as snprintf(NULL, 0, ...) gives it. */
    needed = 0;
    CHECK_RESULT(aftersales_error_message_copy(error, NULL, 0, &needed), AFTERSALES_RESULT_OK);
    CHECK(needed == 16);
    CHECK_RESULT(aftersales_error_message_copy(error, NULL, 8, &needed), AFTERSALES_RESULT_NULL_PARAMETER);
    /* NULL is the empty message, as aftersales_error_message(NULL) is "". */
    CHECK(strcmp(aftersales_error_message(NULL), "") == 0);
    needed = 99;
    CHECK_RESULT(aftersales_error_message_copy(NULL, small, 8, &needed), AFTERSALES_RESULT_OK);
    CHECK(needed == 0 && small[0] == '\0');
    needed = 99;
    CHECK_RESULT(aftersales_error_message_copy(NULL, NULL, 0, &needed), AFTERSALES_RESULT_OK);
    CHECK(needed == 0);
    aftersales_error_free(error);
}

static void test_nulls(aftersales_policy *policy) {
    aftersales_error *error = NULL;
    aftersales_policy *out = NULL;
    char *text = NULL;
    size_t len = 0;
    const char *borrowed = NULL;
    const aftersales_calendar *calendar = NULL;
    int64_t t = 0;
    bool open = false;

    /* The error object names the NULL argument. */
#define CHECK_NULL(call, argument)                                              \
    do {                                                                        \
        error = NULL;                                                           \
        CHECK_RESULT(call, AFTERSALES_RESULT_NULL_PARAMETER);                  \
        CHECK(error != NULL && strcmp(aftersales_error_location(error), argument) == 0); \
        aftersales_error_free(error);                                           \
    } while (0)

    CHECK_NULL(aftersales_policy_load_path(NULL, 4, &out, &error), "path");
    CHECK_NULL(aftersales_policy_load_path(METER, strlen(METER), NULL, &error), "policy_out");
    CHECK_NULL(aftersales_policy_load_text(NULL, 4, NULL, 0, &out, &error), "toml");
    CHECK_NULL(aftersales_policy_load_text("x", 1, NULL, 1, &out, &error), "rules");
    aftersales_rule_text no_name = {NULL, 3, "x", 1};
    CHECK_NULL(aftersales_policy_load_text("x", 1, &no_name, 1, &out, &error), "rules[0].name");
    aftersales_rule_text no_text = {"a.rhai", 6, NULL, 1};
    CHECK_NULL(aftersales_policy_load_text("x", 1, &no_text, 1, &out, &error), "rules[0].text");
    CHECK(out == NULL);
    CHECK_NULL(aftersales_check_path(NULL, 1, &text, &len, &error), "path");
    CHECK_NULL(aftersales_check_path(METER, strlen(METER), NULL, &len, &error), "diagnostics_out");
    CHECK_NULL(aftersales_check_text(NULL, 1, NULL, 0, &text, &len, &error), "toml");
    CHECK_NULL(aftersales_check_text("x", 1, NULL, 0, NULL, &len, &error), "diagnostics_out");
    CHECK_NULL(aftersales_evaluate(NULL, TICKET, strlen(TICKET), AS_OF, 0, &text, &len, &error), "policy");
    CHECK_NULL(aftersales_evaluate(policy, NULL, 1, AS_OF, 0, &text, &len, &error), "ticket");
    CHECK_NULL(aftersales_evaluate(policy, TICKET, strlen(TICKET), AS_OF, 0, NULL, &len, &error), "answer_out");
    CHECK_NULL(aftersales_evaluate_batch(NULL, TICKET, strlen(TICKET), AS_OF, 0, &text, &len, &error), "policy");
    CHECK_NULL(aftersales_evaluate_batch(policy, NULL, 1, AS_OF, 0, &text, &len, &error), "tickets");
    CHECK_NULL(aftersales_evaluate_batch(policy, TICKET, strlen(TICKET), AS_OF, 0, NULL, &len, &error), "answers_out");
    CHECK_NULL(aftersales_report(NULL, TICKET, strlen(TICKET), AS_OF, &text, &len, &error), "policy");
    CHECK_NULL(aftersales_report(policy, NULL, 1, AS_OF, &text, &len, &error), "tickets");
    CHECK_NULL(aftersales_report(policy, TICKET, strlen(TICKET), AS_OF, NULL, &len, &error), "report_out");
    CHECK(text == NULL);
    CHECK_NULL(aftersales_policy_calendar(NULL, "office", 6, &calendar, &error), "policy");
    CHECK_NULL(aftersales_policy_calendar(policy, NULL, 6, &calendar, &error), "name");
    CHECK_NULL(aftersales_policy_calendar(policy, "office", 6, NULL, &error), "calendar_out");
    CHECK_NULL(aftersales_calendar_add(NULL, 0, 60, &t, &error), "calendar");
    CHECK_NULL(aftersales_calendar_sub(NULL, 0, 60, &t, &error), "calendar");
    CHECK_NULL(aftersales_calendar_between(NULL, 0, 60, &t, &error), "calendar");
    CHECK_NULL(aftersales_calendar_is_open(NULL, 0, &open, &error), "calendar");
    CHECK_NULL(aftersales_calendar_next_open(NULL, 0, &t, &error), "calendar");
    CHECK_NULL(aftersales_calendar_add_business_days(NULL, 0, 1, &t, &error), "calendar");
    CHECK_RESULT(aftersales_policy_calendar(policy, "office", 6, &calendar, NULL), AFTERSALES_RESULT_OK);
    CHECK_NULL(aftersales_calendar_add(calendar, 0, 60, NULL, &error), "deadline_out");
    CHECK_NULL(aftersales_calendar_sub(calendar, 0, 60, NULL, &error), "start_out");
    CHECK_NULL(aftersales_calendar_between(calendar, 0, 60, NULL, &error), "seconds_out");
    CHECK_NULL(aftersales_calendar_is_open(calendar, 0, NULL, &error), "open_out");
    CHECK_NULL(aftersales_calendar_next_open(calendar, 0, NULL, &error), "open_at_out");
    CHECK_NULL(aftersales_calendar_add_business_days(calendar, 0, 1, NULL, &error), "result_out");
#undef CHECK_NULL

    /* Accessors report NULL by code only. */
    CHECK_RESULT(aftersales_policy_id(NULL, &borrowed), AFTERSALES_RESULT_NULL_PARAMETER);
    CHECK_RESULT(aftersales_policy_id(policy, NULL), AFTERSALES_RESULT_NULL_PARAMETER);
    CHECK_RESULT(aftersales_policy_version(NULL, &borrowed), AFTERSALES_RESULT_NULL_PARAMETER);
    CHECK_RESULT(aftersales_policy_version(policy, NULL), AFTERSALES_RESULT_NULL_PARAMETER);
    CHECK_RESULT(aftersales_policy_digest(NULL, &borrowed), AFTERSALES_RESULT_NULL_PARAMETER);
    CHECK_RESULT(aftersales_policy_digest(policy, NULL), AFTERSALES_RESULT_NULL_PARAMETER);
    CHECK(borrowed == NULL);

    /* The error of no failure, and frees of NULL. */
    CHECK_RESULT(aftersales_error_code(NULL), AFTERSALES_RESULT_OK);
    CHECK(strcmp(aftersales_error_message(NULL), "") == 0);
    CHECK(strcmp(aftersales_error_location(NULL), "") == 0);
    CHECK(strcmp(aftersales_error_json(NULL), "") == 0);
    aftersales_error_free(NULL);
    aftersales_string_free(NULL);
    aftersales_policy_free(NULL);

    /* error_out may be NULL: the code alone comes back. */
    CHECK_RESULT(aftersales_evaluate(policy, NULL, 1, AS_OF, 0, &text, &len, NULL),
                 AFTERSALES_RESULT_NULL_PARAMETER);
}

static void test_rule_limit(void) {
    aftersales_rule_text rule = {"spin.rhai", strlen("spin.rhai"), SPIN_RULES, strlen(SPIN_RULES)};
    aftersales_policy *spin = NULL;
    aftersales_error *error = NULL;
    CHECK_RESULT(aftersales_policy_load_text(SPIN_TOML, strlen(SPIN_TOML), &rule, 1, &spin, &error),
                 AFTERSALES_RESULT_OK);
    if (spin == NULL) {
        fprintf(stderr, "spin policy: %s\n", aftersales_error_message(error));
        aftersales_error_free(error);
        return;
    }
    char *answer = NULL;
    CHECK_RESULT(aftersales_evaluate(spin, TICKET, strlen(TICKET), AS_OF, 0, &answer, NULL, &error),
                 AFTERSALES_RESULT_RULE);
    CHECK(strstr(aftersales_error_message(error), "exceeded the limit of") != NULL);
    CHECK(strstr(aftersales_error_message(error), "operations") != NULL);
    CHECK(strstr(aftersales_error_message(error), "rule `severity()`") != NULL);
    CHECK(strcmp(aftersales_error_location(error), "spin.rhai") == 0);
    CHECK(answer != NULL && strstr(answer, "\"error\":{\"kind\":\"rule\",\"code\":3,") != NULL);
    CHECK(answer != NULL && strstr(answer, "\"policy\":\"spin\"") != NULL);
    aftersales_string_free(answer);
    aftersales_error_free(error);

    /* In a batch, the runaway ticket is one error line in its place. */
    const char *batch = "{\"id\": \"A\", \"opened_at\": \"2026-03-02T08:00:00+08:00\"}\n"
                        "{\"id\": \"B\", \"opened_at\": \"2026-03-02T08:00:00+08:00\"}\n";
    char *answers = NULL;
    CHECK_RESULT(aftersales_evaluate_batch(spin, batch, strlen(batch), AS_OF, 0, &answers, NULL, &error),
                 AFTERSALES_RESULT_OK);
    CHECK(answers != NULL && strncmp(answers, "{\"position\":1,\"ticket\":\"A\",\"error\":{\"kind\":\"rule\"", 49) == 0);
    CHECK(answers != NULL && strstr(answers, "\n{\"position\":2,\"ticket\":\"B\",\"error\":{\"kind\":\"rule\"") != NULL);
    aftersales_string_free(answers);
    aftersales_policy_free(spin);
}

static void test_batch_and_report(aftersales_policy *policy) {
    /* Line 2 is not JSON, line 3 not UTF-8: each gets its error in place. */
    const char batch[] = "{\"id\": \"A\", \"opened_at\": \"2026-03-02T08:59:30+08:00\"}\n"
                         "{\"id\": \n"
                         "{\"id\": \"\xc3\"}\n"
                         "{\"id\": \"D\", \"opened_at\": \"2026-03-02T08:59:30+08:00\"}\n";
    char *answers = NULL;
    size_t len = 0;
    aftersales_error *error = NULL;
    CHECK_RESULT(aftersales_evaluate_batch(policy, batch, strlen(batch), AS_OF, 0, &answers, &len, &error),
                 AFTERSALES_RESULT_OK);
    CHECK(answers != NULL && strlen(answers) == len);
    int lines = 0;
    for (size_t i = 0; answers != NULL && i < len; i++) lines += answers[i] == '\n';
    CHECK(lines == 4);
    CHECK(answers != NULL && strncmp(answers, "{\"ticket\":\"A\",", 14) == 0);
    CHECK(answers != NULL && strstr(answers, "\n{\"position\":2,\"ticket\":null,\"error\":{\"kind\":\"input\"") != NULL);
    CHECK(answers != NULL && strstr(answers, "\n{\"position\":3,\"ticket\":null,\"error\":{\"kind\":\"input\"") != NULL);
    CHECK(answers != NULL && strstr(answers, "\n{\"ticket\":\"D\",") != NULL);
    aftersales_string_free(answers);

    /* The same tickets as a JSON array. */
    const char *array = "[{\"id\": \"A\", \"opened_at\": \"2026-03-02T08:59:30+08:00\"},"
                        " {\"id\": \"D\", \"opened_at\": \"2026-03-02T08:59:30+08:00\"}]";
    answers = NULL;
    CHECK_RESULT(aftersales_evaluate_batch(policy, array, strlen(array), AS_OF, 0, &answers, &len, &error),
                 AFTERSALES_RESULT_OK);
    CHECK(answers != NULL && strncmp(answers, "{\"ticket\":\"A\",", 14) == 0);
    CHECK(answers != NULL && strstr(answers, "}\n{\"ticket\":\"D\",") != NULL);
    aftersales_string_free(answers);

    /* Two arrays: the first is the batch, the second one error entry at
     * line 1, column 5 (docs/api.md): nothing is dropped. */
    answers = NULL;
    CHECK_RESULT(aftersales_evaluate_batch(policy, "[{}][{}]", 8, AS_OF, 0, &answers, &len, &error),
                 AFTERSALES_RESULT_OK);
    lines = 0;
    for (size_t i = 0; answers != NULL && i < len; i++) lines += answers[i] == '\n';
    CHECK(lines == 2);
    CHECK(answers != NULL && strstr(answers, "\n{\"position\":2,\"ticket\":null,\"error\":{\"kind\":\"input\",\"code\":6,"
                                             "\"message\":\"data after the JSON array (line 1, column 5)") != NULL);
    aftersales_string_free(answers);

    /* The line limit comes from AFTERSALES_MAX_LINE_BYTES, as on the
     * command line: 60 bytes hold ticket A's 53-byte line, not the
     * 77-byte one after it; a value that is no limit is one error entry. */
    const char longer[] = "{\"id\": \"A\", \"opened_at\": \"2026-03-02T08:59:30+08:00\"}\n"
                          "{\"id\": \"Bxxxxxxxxxxxxxxxxxxxxxxxx\", \"opened_at\": \"2026-03-02T08:59:30+08:00\"}\n";
    CHECK(setenv("AFTERSALES_MAX_LINE_BYTES", "60", 1) == 0);
    answers = NULL;
    CHECK_RESULT(aftersales_evaluate_batch(policy, longer, strlen(longer), AS_OF, 0, &answers, &len, &error),
                 AFTERSALES_RESULT_OK);
    CHECK(answers != NULL && strncmp(answers, "{\"ticket\":\"A\",", 14) == 0);
    CHECK(answers != NULL && strstr(answers, "ticket 2 (line 2, column 1) is longer than the limit of 60 bytes") != NULL);
    aftersales_string_free(answers);
    CHECK(setenv("AFTERSALES_MAX_LINE_BYTES", "abc", 1) == 0);
    answers = NULL;
    CHECK_RESULT(aftersales_evaluate_batch(policy, longer, strlen(longer), AS_OF, 0, &answers, &len, &error),
                 AFTERSALES_RESULT_OK);
    lines = 0;
    for (size_t i = 0; answers != NULL && i < len; i++) lines += answers[i] == '\n';
    CHECK(lines == 1);
    CHECK(answers != NULL && strstr(answers, "AFTERSALES_MAX_LINE_BYTES `abc` is not a whole number of bytes") != NULL);
    aftersales_string_free(answers);
    CHECK(unsetenv("AFTERSALES_MAX_LINE_BYTES") == 0);

    /* The report of the example meter tickets: 23 tickets, all evaluated. */
    size_t tickets_len = 0;
    char *tickets = read_file(METER_TICKETS, &tickets_len);
    CHECK(tickets != NULL);
    char *report = NULL;
    CHECK_RESULT(aftersales_report(policy, tickets, tickets_len, AS_OF, &report, &len, &error),
                 AFTERSALES_RESULT_OK);
    CHECK(report != NULL && strncmp(report, "{\"policy\":{\"id\":\"hot-water-meter\"", 33) == 0);
    CHECK(report != NULL && strstr(report, "\"tickets\":23,\"evaluated\":23,\"errors\":0") != NULL);
    aftersales_string_free(report);
    free(tickets);
}

static void test_calendar(aftersales_policy *policy) {
    const aftersales_calendar *office = NULL;
    aftersales_error *error = NULL;
    CHECK_RESULT(aftersales_policy_calendar(policy, "office", 6, &office, &error), AFTERSALES_RESULT_OK);
    CHECK(office != NULL);
    int64_t t = 0;
    bool open = false;

    /* Mon 2026-03-02 11:00 (1772420400) + 2h open: 11:00-12:00 is 1h, then
     * 13:00 + 1h = 14:00 (1772431200). */
    CHECK_RESULT(aftersales_calendar_add(office, 1772420400, 7200, &t, &error), AFTERSALES_RESULT_OK);
    CHECK(t == 1772431200);
    /* And back: 14:00 - 2h open = 11:00. */
    CHECK_RESULT(aftersales_calendar_sub(office, 1772431200, 7200, &t, &error), AFTERSALES_RESULT_OK);
    CHECK(t == 1772420400);
    /* A negative duration counts back. */
    CHECK_RESULT(aftersales_calendar_add(office, 1772431200, -7200, &t, &error), AFTERSALES_RESULT_OK);
    CHECK(t == 1772420400);
    /* Open time from 11:00 to 14:00: 1h + 1h = 7200 s; reversed, -7200. */
    CHECK_RESULT(aftersales_calendar_between(office, 1772420400, 1772431200, &t, &error), AFTERSALES_RESULT_OK);
    CHECK(t == 7200);
    CHECK_RESULT(aftersales_calendar_between(office, 1772431200, 1772420400, &t, &error), AFTERSALES_RESULT_OK);
    CHECK(t == -7200);
    /* 12:30 (1772425800) is lunch; 11:00 is open. */
    CHECK_RESULT(aftersales_calendar_is_open(office, 1772425800, &open, &error), AFTERSALES_RESULT_OK);
    CHECK(!open);
    CHECK_RESULT(aftersales_calendar_is_open(office, 1772420400, &open, &error), AFTERSALES_RESULT_OK);
    CHECK(open);
    /* Next opening after lunch: 13:00 (1772427600). */
    CHECK_RESULT(aftersales_calendar_next_open(office, 1772425800, &t, &error), AFTERSALES_RESULT_OK);
    CHECK(t == 1772427600);
    /* Fri 2026-03-06 18:00 (1772791200): Monday 03-09 08:30 (1773016200). */
    CHECK_RESULT(aftersales_calendar_next_open(office, 1772791200, &t, &error), AFTERSALES_RESULT_OK);
    CHECK(t == 1773016200);
    /* Mon 03-02 10:00 (1772416800) + 5 business days: Tue, Wed, Thu, Fri,
     * Mon 03-09 10:00 (1773021600). */
    CHECK_RESULT(aftersales_calendar_add_business_days(office, 1772416800, 5, &t, &error), AFTERSALES_RESULT_OK);
    CHECK(t == 1773021600);
    /* Fri 04-03 10:00 (1775181600) + 1: Sat-Mon 04-04..06 are holidays,
     * so Tue 04-07 10:00 (1775527200). */
    CHECK_RESULT(aftersales_calendar_add_business_days(office, 1775181600, 1, &t, &error), AFTERSALES_RESULT_OK);
    CHECK(t == 1775527200);

    /* The built-in 24x7 calendar: 2h after 11:00 is 13:00. */
    const aftersales_calendar *always = NULL;
    CHECK_RESULT(aftersales_policy_calendar(policy, "24x7", 4, &always, &error), AFTERSALES_RESULT_OK);
    CHECK_RESULT(aftersales_calendar_add(always, 1772420400, 7200, &t, &error), AFTERSALES_RESULT_OK);
    CHECK(t == 1772427600);

    /* An unknown calendar: a calendar error listing the known ones. */
    const aftersales_calendar *none = NULL;
    CHECK_RESULT(aftersales_policy_calendar(policy, "night", 5, &none, &error), AFTERSALES_RESULT_CALENDAR);
    CHECK(none == NULL);
    CHECK(strstr(aftersales_error_message(error), "office") != NULL);
    aftersales_error_free(error);
    /* Invalid UTF-8 in the name. */
    CHECK_RESULT(aftersales_policy_calendar(policy, "\xfe", 1, &none, &error), AFTERSALES_RESULT_INVALID_UTF8);
    aftersales_error_free(error);
    /* An instant out of range. */
    CHECK_RESULT(aftersales_calendar_next_open(office, INT64_MAX, &t, &error), AFTERSALES_RESULT_INPUT);
    CHECK(strcmp(aftersales_error_location(error), "at") == 0);
    aftersales_error_free(error);
    /* A deadline past the last representable instant: a calendar error. */
    CHECK_RESULT(aftersales_calendar_add(always, 1772420400, INT64_MAX / 1000, &t, &error),
                 AFTERSALES_RESULT_CALENDAR);
    aftersales_error_free(error);
}

/* ---------------------------------------------------------------- threads */

#define THREADS 8
#define MAX_TICKETS 64

struct shared {
    int rounds;
    const aftersales_policy *policy;
    const aftersales_calendar *office;
    int count;
    const char *tickets[MAX_TICKETS];
    size_t lengths[MAX_TICKETS];
    char *expected[MAX_TICKETS];
    int64_t expected_deadline;
};

struct worker {
    struct shared *shared;
    int index;
    int mismatches;
};

static void *work(void *arg) {
    struct worker *w = arg;
    struct shared *s = w->shared;
    for (int round = 0; round < s->rounds; round++) {
        for (int k = 0; k < s->count; k++) {
            /* Each thread starts at its own ticket so they overlap differently. */
            int i = (k + w->index) % s->count;
            char *answer = NULL;
            aftersales_error *error = NULL;
            aftersales_result result = aftersales_evaluate(s->policy, s->tickets[i], s->lengths[i],
                                                           AS_OF, 0, &answer, NULL, &error);
            if (result != AFTERSALES_RESULT_OK || answer == NULL || strcmp(answer, s->expected[i]) != 0) {
                w->mismatches++;
            }
            aftersales_string_free(answer);
            aftersales_error_free(error);
            int64_t deadline = 0;
            if (aftersales_calendar_add(s->office, 1772420400, 7200, &deadline, NULL) != AFTERSALES_RESULT_OK ||
                deadline != s->expected_deadline) {
                w->mismatches++;
            }
        }
    }
    return NULL;
}

static void test_threads(void) {
    aftersales_policy *policy = load_meter();
    size_t len = 0;
    char *text = read_file(METER_TICKETS, &len);
    CHECK(text != NULL);
    if (text == NULL) return;
    struct shared s = {0};
    s.policy = policy;
    /* Rounds over the tickets per thread: 3, or AFTERSALES_TEST_ROUNDS
     * (scripts/test-c.sh uses 1 under valgrind, which runs threads one at
     * a time). */
    const char *rounds = getenv("AFTERSALES_TEST_ROUNDS");
    s.rounds = rounds != NULL && atoi(rounds) > 0 ? atoi(rounds) : 3;
    CHECK_RESULT(aftersales_policy_calendar(policy, "office", 6, &s.office, NULL), AFTERSALES_RESULT_OK);
    /* One ticket per line. */
    for (char *line = text; line < text + len && s.count < MAX_TICKETS;) {
        char *nl = memchr(line, '\n', (size_t)(text + len - line));
        size_t n = nl != NULL ? (size_t)(nl - line) : (size_t)(text + len - line);
        if (n > 0) {
            s.tickets[s.count] = line;
            s.lengths[s.count] = n;
            s.count++;
        }
        line += n + 1;
    }
    CHECK(s.count == 23);
    /* Single-threaded answers first. */
    for (int i = 0; i < s.count; i++) {
        CHECK_RESULT(aftersales_evaluate(policy, s.tickets[i], s.lengths[i], AS_OF, 0, &s.expected[i], NULL, NULL),
                     AFTERSALES_RESULT_OK);
    }
    CHECK_RESULT(aftersales_calendar_add(s.office, 1772420400, 7200, &s.expected_deadline, NULL), AFTERSALES_RESULT_OK);
    CHECK(s.expected_deadline == 1772431200);

    pthread_t threads[THREADS];
    struct worker workers[THREADS];
    for (int t = 0; t < THREADS; t++) {
        workers[t] = (struct worker){&s, t, 0};
        CHECK(pthread_create(&threads[t], NULL, work, &workers[t]) == 0);
    }
    int mismatches = 0;
    for (int t = 0; t < THREADS; t++) {
        CHECK(pthread_join(threads[t], NULL) == 0);
        mismatches += workers[t].mismatches;
    }
    CHECK(mismatches == 0);
    /* Freed after every thread is done. */
    aftersales_policy_free(policy);
    for (int i = 0; i < s.count; i++) aftersales_string_free(s.expected[i]);
    free(text);
}

int main(void) {
    test_version();
    test_load_and_accessors();
    test_check();
    aftersales_policy *policy = load_meter();
    test_evaluate(policy);
    test_reasons(policy);
    test_bad_input(policy);
    test_nulls(policy);
    test_batch_and_report(policy);
    test_calendar(policy);
    aftersales_policy_free(policy);
    test_rule_limit();
    test_threads();
    printf("test_api: %d checks, %d failed\n", checks, failures);
    return failures == 0 ? 0 : 1;
}
