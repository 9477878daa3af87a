/*
 * test_ics.c: a policy loaded from texts whose calendar takes its holidays
 * from an iCalendar text given beside the rules (by the name
 * `holidays_ics` gives), and the warning for a Chinese feed read without
 * its working-day marker. Exit status 0 when every check holds.
 *
 * Hand-worked deadline: calendar `office`, Asia/Shanghai, weekdays
 * 09:00-12:00 and 13:00-18:00; the ICS text closes Monday 2026-03-02.
 * Opened Friday 2026-02-27 16:00, target 4 h: Friday 16:00-18:00 is 2 h;
 * Saturday and Sunday are closed, Monday is the ICS holiday; Tuesday
 * 09:00-11:00 is the other 2 h: deadline Tuesday 2026-03-03 11:00+08:00
 * (without the holiday it would be Monday 11:00). At Friday 17:00 the
 * clock is running with 1 h elapsed.
 */
#include "aftersales.h"

#include <stdio.h>
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

static const char TOML[] =
    "[policy]\n"
    "id = \"ics-c\"\n"
    "version = \"1\"\n"
    "timezone = \"Asia/Shanghai\"\n"
    "[calendars.office]\n"
    "weekdays = [\"09:00-12:00\", \"13:00-18:00\"]\n"
    "holidays_ics = \"closures.ics\"\n"
    "[[targets]]\n"
    "metric = \"respond\"\n"
    "stop = \"responded\"\n"
    "calendar = \"office\"\n"
    "target = \"4h\"\n";

static const char ICS[] =
    "BEGIN:VCALENDAR\r\n"
    "VERSION:2.0\r\n"
    "PRODID:-//aftersales tests//closures//EN\r\n"
    "BEGIN:VEVENT\r\n"
    "DTSTART;VALUE=DATE:20260302\r\n"
    "SUMMARY:Stocktaking\r\n"
    "END:VEVENT\r\n"
    "END:VCALENDAR\r\n";

/* A Chinese feed's working Saturday, read without `working_days_from`. */
static const char ICS_WORKDAY[] =
    "BEGIN:VCALENDAR\r\n"
    "VERSION:2.0\r\n"
    "PRODID:-//aftersales tests//closures//EN\r\n"
    "BEGIN:VEVENT\r\n"
    "DTSTART;VALUE=DATE:20260214\r\n"
    "SUMMARY:春节补班\r\n"
    "END:VEVENT\r\n"
    "END:VCALENDAR\r\n";

static const char TICKET[] = "{\"id\": \"ICS-1\", \"opened_at\": \"2026-02-27T16:00:00+08:00\"}";

/* 2026-02-27T17:00:00+08:00 */
static const int64_t AS_OF = 1772182800;

static void test_deadline_across_the_ics_holiday(void) {
    aftersales_rule_text file = {"closures.ics", strlen("closures.ics"), ICS, strlen(ICS)};
    aftersales_policy *policy = NULL;
    aftersales_error *error = NULL;
    CHECK(aftersales_policy_load_text(TOML, strlen(TOML), &file, 1, &policy, &error) ==
          AFTERSALES_RESULT_OK);
    CHECK(error == NULL && policy != NULL);
    if (policy == NULL) {
        aftersales_error_free(error);
        return;
    }
    char *answer = NULL;
    size_t len = 0;
    CHECK(aftersales_evaluate(policy, TICKET, strlen(TICKET), AS_OF, 0, &answer, &len, &error) ==
          AFTERSALES_RESULT_OK);
    CHECK(answer != NULL && strstr(answer, "\"deadline\":\"2026-03-03T11:00:00+08:00\"") != NULL);
    CHECK(answer != NULL && strstr(answer, "\"status\":\"running\"") != NULL);
    CHECK(answer != NULL && strstr(answer, "\"elapsed\":\"PT1H\"") != NULL);
    aftersales_string_free(answer);
    aftersales_policy_free(policy);

    /* Without the text the policy does not load: the file is named. */
    CHECK(aftersales_policy_load_text(TOML, strlen(TOML), NULL, 0, &policy, &error) ==
          AFTERSALES_RESULT_POLICY);
    CHECK(error != NULL && strstr(aftersales_error_message(error), "closures.ics") != NULL);
    aftersales_error_free(error);
}

static void test_unmarked_working_day_warning(void) {
    aftersales_rule_text file = {"closures.ics", strlen("closures.ics"), ICS_WORKDAY,
                                 strlen(ICS_WORKDAY)};
    char *diagnostics = NULL;
    aftersales_error *error = NULL;
    CHECK(aftersales_check_text(TOML, strlen(TOML), &file, 1, &diagnostics, NULL, &error) ==
          AFTERSALES_RESULT_OK);
    CHECK(diagnostics != NULL && strstr(diagnostics, "\"level\":\"warning\"") != NULL);
    CHECK(diagnostics != NULL &&
          strstr(diagnostics, "\"path\":\"calendars.office.holidays_ics\"") != NULL);
    /* The summary is on line 6 of the text. */
    CHECK(diagnostics != NULL && strstr(diagnostics, "`closures.ics`, line 6") != NULL);
    aftersales_string_free(diagnostics);
}

int main(void) {
    test_deadline_across_the_ics_holiday();
    test_unmarked_working_day_warning();
    printf("test_ics: %d checks, %d failed\n", checks, failures);
    return failures == 0 ? 0 : 1;
}
