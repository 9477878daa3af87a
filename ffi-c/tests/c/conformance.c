/*
 * conformance.c POLICY TICKETS AS_OF [FLAGS]
 * conformance.c --alone POLICY TICKETS AS_OF [FLAGS]
 * conformance.c --figures FIGURES POLICY TICKETS AS_OF
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
 *
 * With --figures, FIGURES is a case's figures file (JSON lines, see
 * tests/conformance/README.md): each ticket it lists is evaluated alone at
 * its own as_of, the whole TICKETS file as one batch at AS_OF, and every
 * figure (a JSON pointer into one ticket's answer and the value expected
 * there) must hold; each failure is printed on stderr (exit 1), else the
 * number of figures on stdout.
 * Exit status 0 when every call succeeded.
 */
#include "aftersales.h"

#include <ctype.h>
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

/* ---- A small JSON reader: enough to follow a JSON pointer through the
 * engine's compact answers and the figures file's lines. */

/* A stretch of JSON text. */
typedef struct {
    const char *at;
    size_t len;
} span;

static const char *skip_space(const char *p, const char *end) {
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')) p++;
    return p;
}

/* Past the string that starts at p (its opening quote), or NULL. */
static const char *skip_string(const char *p, const char *end) {
    for (p++; p < end; p++) {
        if (*p == '\\') {
            p++;
        } else if (*p == '"') {
            return p + 1;
        }
    }
    return NULL;
}

/* Past the value that starts at p, or NULL when it is malformed. */
static const char *skip_value(const char *p, const char *end) {
    p = skip_space(p, end);
    if (p >= end) return NULL;
    if (*p == '"') return skip_string(p, end);
    if (*p == '{' || *p == '[') {
        int depth = 0;
        while (p < end) {
            if (*p == '"') {
                p = skip_string(p, end);
                if (p == NULL) return NULL;
                continue;
            }
            if (*p == '{' || *p == '[') {
                depth++;
            } else if (*p == '}' || *p == ']') {
                if (--depth == 0) return p + 1;
            }
            p++;
        }
        return NULL;
    }
    const char *start = p;
    while (p < end && *p != ',' && *p != '}' && *p != ']' && *p != ' ' && *p != '\n') p++;
    return p > start ? p : NULL;
}

/* Whether an object's key (raw, between its quotes) is the pointer's
 * reference token (with ~0 for ~ and ~1 for /). Keys with escapes never
 * match: the answers' keys have none. */
static int key_is(const char *key, const char *key_end, const char *token, const char *token_end) {
    while (key < key_end && token < token_end) {
        char c = *token++;
        if (c == '~' && token < token_end) {
            c = *token == '0' ? '~' : *token == '1' ? '/' : '\0';
            token++;
            if (c == '\0') return 0;
        }
        if (*key == '\\' || *key != c) return 0;
        key++;
    }
    return key == key_end && token == token_end;
}

/* The value at a JSON pointer (RFC 6901) in a document: 1 when found (in
 * *found), 0 when the pointer leads nowhere, -1 when the text is malformed. */
static int lookup(span doc, const char *pointer, span *found) {
    const char *p = doc.at, *end = doc.at + doc.len;
    const char *token = pointer, *pointer_end = pointer + strlen(pointer);
    while (token < pointer_end) {
        if (*token != '/') return -1;
        token++;
        const char *token_end = memchr(token, '/', (size_t)(pointer_end - token));
        if (token_end == NULL) token_end = pointer_end;
        p = skip_space(p, end);
        if (p >= end) return -1;
        if (*p == '{') {
            int match = 0;
            p = skip_space(p + 1, end);
            while (p < end && *p != '}' && !match) {
                if (*p != '"') return -1;
                const char *key_end = skip_string(p, end);
                if (key_end == NULL) return -1;
                match = key_is(p + 1, key_end - 1, token, token_end);
                p = skip_space(key_end, end);
                if (p >= end || *p != ':') return -1;
                p = skip_space(p + 1, end);
                if (!match) {
                    p = skip_value(p, end);
                    if (p == NULL) return -1;
                    p = skip_space(p, end);
                    if (p < end && *p == ',') p = skip_space(p + 1, end);
                }
            }
            if (!match) return p < end ? 0 : -1;
        } else if (*p == '[') {
            size_t index = 0;
            if (token == token_end || token_end - token > 9) return 0;
            for (const char *d = token; d < token_end; d++) {
                if (!isdigit((unsigned char)*d)) return 0;
                index = index * 10 + (size_t)(*d - '0');
            }
            p = skip_space(p + 1, end);
            for (size_t i = 0; i < index && p < end && *p != ']'; i++) {
                p = skip_value(p, end);
                if (p == NULL) return -1;
                p = skip_space(p, end);
                if (p < end && *p == ',') p = skip_space(p + 1, end);
            }
            if (p >= end) return -1;
            if (*p == ']') return 0;
        } else {
            return 0; /* a string, number or literal has no members */
        }
        token = token_end;
    }
    const char *value_end = skip_value(p, end);
    if (value_end == NULL) return -1;
    p = skip_space(p, end);
    found->at = p;
    found->len = (size_t)(value_end - p);
    return 1;
}

/* The text of a string at a pointer, when it has no escapes, into buf
 * (NUL-terminated): 1, or 0 when absent, not such a string or too long. */
static int text_at(span doc, const char *pointer, char *buf, size_t cap) {
    span s;
    if (lookup(doc, pointer, &s) != 1 || s.len < 2 || s.at[0] != '"' || s.len - 2 >= cap) return 0;
    if (memchr(s.at + 1, '\\', s.len - 2) != NULL) return 0;
    memcpy(buf, s.at + 1, s.len - 2);
    buf[s.len - 2] = '\0';
    return 1;
}

/* Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant). */
static int64_t days_from_civil(int64_t y, int64_t m, int64_t d) {
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* An RFC 3339 instant with whole seconds (`2026-03-03T12:00:00+08:00`,
 * or `Z`) as Unix seconds: 1, or 0 when it is not one. */
static int unix_seconds(const char *text, int64_t *seconds) {
    int y, mo, d, h, mi, s, n = 0;
    if (sscanf(text, "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &s, &n) != 6 || n != 19) return 0;
    int64_t offset = 0;
    const char *zone = text + n;
    if (strcmp(zone, "Z") != 0) {
        int oh, om, k = 0;
        if ((zone[0] != '+' && zone[0] != '-') || sscanf(zone + 1, "%2d:%2d%n", &oh, &om, &k) != 2 || k != 5 ||
            zone[6] != '\0')
            return 0;
        offset = (zone[0] == '-' ? -1 : 1) * (int64_t)(oh * 3600 + om * 60);
    }
    *seconds = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s - offset;
    return 1;
}

/* The line of `text` that holds the object whose string at `pointer` is
 * `want`, or an empty span. */
static span line_where(const char *text, size_t len, const char *pointer, const char *want) {
    span none = {NULL, 0};
    char buf[256];
    size_t start = 0;
    while (start < len) {
        const char *newline = memchr(text + start, '\n', len - start);
        size_t end = newline != NULL ? (size_t)(newline - text) : len;
        span line = {text + start, end - start};
        if (end > start && text_at(line, pointer, buf, sizeof buf) && strcmp(buf, want) == 0) return line;
        start = end + 1;
    }
    return none;
}

/* One ticket of a figures file and its answer alone. */
typedef struct {
    char id[256];
    char *answer;
    size_t answer_len;
} alone_answer;

/* Whether the answer's value at the figure's pointer is what the figure
 * expects: the same JSON text (values are written compact, as the engine
 * writes them; `null` also matches a pointer that leads nowhere), or, for
 * `contains`, a string holding the words. */
static int figure_holds(span figure, span answer, const char *pointer, span *got, int *found) {
    span want;
    *found = lookup(answer, pointer, got);
    if (lookup(figure, "/value", &want) == 1) {
        if (*found != 1) return *found == 0 && want.len == 4 && memcmp(want.at, "null", 4) == 0;
        return got->len == want.len && memcmp(got->at, want.at, want.len) == 0;
    }
    if (lookup(figure, "/contains", &want) != 1 || *found != 1 || want.len < 2 || got->len < 2 ||
        got->at[0] != '"')
        return 0;
    size_t words = want.len - 2, room = got->len - 2;
    for (size_t i = 0; words <= room && i <= room - words; i++) {
        if (memcmp(got->at + 1 + i, want.at + 1, words) == 0) return 1;
    }
    return 0;
}

/* Checks a figures file against this library's answers (see the top). */
static int check_figures(const aftersales_policy *policy, const char *path, const char *tickets, size_t len,
                         int64_t as_of) {
    size_t figures_len = 0;
    char *figures = read_file(path, &figures_len);
    if (figures == NULL) {
        fprintf(stderr, "conformance: cannot read %s\n", path);
        return 2;
    }
    char *batch = NULL;
    size_t batch_len = 0;
    aftersales_error *error = NULL;
    aftersales_result r = aftersales_evaluate_batch(policy, tickets, len, as_of, 0, &batch, &batch_len, &error);
    int status = r == AFTERSALES_RESULT_OK ? 0 : 2;
    if (status != 0) {
        fprintf(stderr, "conformance: evaluating the batch: %s: %s\n", aftersales_result_name(r),
                aftersales_error_message(error));
    }
    aftersales_error_free(error);
    alone_answer *answers = NULL;
    size_t count = 0, checked = 0, line_number = 0, start = 0;
    while (start < figures_len && status != 2) {
        const char *newline = memchr(figures + start, '\n', figures_len - start);
        size_t end = newline != NULL ? (size_t)(newline - figures) : figures_len;
        span line = {figures + start, end - start};
        start = end + 1;
        line_number++;
        char id[256], pointer[256], as_of_text[64];
        span flag;
        if (!text_at(line, "/ticket", id, sizeof id)) continue; /* a note */
        alone_answer *ticket = NULL;
        for (size_t i = 0; i < count; i++) {
            if (strcmp(answers[i].id, id) == 0) ticket = &answers[i];
        }
        if (text_at(line, "/pointer", pointer, sizeof pointer)) {
            span answer = {NULL, 0};
            if (lookup(line, "/batch", &flag) == 1) {
                answer = line_where(batch, batch_len, "/ticket", id);
            } else if (ticket != NULL) {
                answer.at = ticket->answer;
                answer.len = ticket->answer_len;
            }
            span got = {"", 0};
            int found = 0;
            if (answer.at == NULL) {
                fprintf(stderr, "conformance: %s line %zu: no answer for %s\n", path, line_number, id);
                status = 1;
            } else if (!figure_holds(line, answer, pointer, &got, &found)) {
                fprintf(stderr, "conformance: %s line %zu: %s %s is %.*s, not as expected: %.*s\n", path,
                        line_number, id, pointer, found == 1 ? (int)got.len : 7, found == 1 ? got.at : "nothing",
                        (int)line.len, line.at);
                status = 1;
            }
            checked++;
        } else if (text_at(line, "/as_of", as_of_text, sizeof as_of_text)) {
            int64_t seconds = 0;
            span ticket_line = line_where(tickets, len, "/id", id);
            alone_answer *grown = ticket == NULL ? realloc(answers, (count + 1) * sizeof *answers) : NULL;
            if (ticket != NULL || grown == NULL || ticket_line.at == NULL || !unix_seconds(as_of_text, &seconds)) {
                fprintf(stderr, "conformance: %s line %zu: %s: a second ticket line, no such ticket or a bad as_of\n",
                        path, line_number, id);
                status = 2;
                continue;
            }
            answers = grown;
            alone_answer *added = &answers[count++];
            memcpy(added->id, id, sizeof id);
            added->answer = NULL;
            added->answer_len = 0;
            error = NULL;
            aftersales_evaluate(policy, ticket_line.at, ticket_line.len, seconds, 0, &added->answer,
                                &added->answer_len, &error);
            aftersales_error_free(error);
            if (added->answer == NULL) {
                fprintf(stderr, "conformance: %s: no answer for %s alone\n", path, id);
                status = 1;
            }
        }
    }
    if (status == 0) printf("%zu figures of %zu tickets hold\n", checked, count);
    for (size_t i = 0; i < count; i++) aftersales_string_free(answers[i].answer);
    free(answers);
    aftersales_string_free(batch);
    free(figures);
    return status;
}

int main(int argc, char **argv) {
    int one_by_one = argc > 1 && strcmp(argv[1], "--alone") == 0;
    const char *figures = NULL;
    if (argc > 2 && strcmp(argv[1], "--figures") == 0) {
        figures = argv[2];
        argv += 2;
        argc -= 2;
    } else if (one_by_one) {
        argv++;
        argc--;
    }
    if (argc != 4 && (argc != 5 || figures != NULL)) {
        fprintf(stderr, "usage: conformance [--alone] POLICY TICKETS AS_OF [FLAGS]\n"
                        "       conformance --figures FIGURES POLICY TICKETS AS_OF\n");
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
    if (figures != NULL) {
        int status = check_figures(policy, figures, tickets, len, as_of);
        free(tickets);
        aftersales_policy_free(policy);
        return status;
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
