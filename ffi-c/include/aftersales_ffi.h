/* aftersales_ffi.h: the declarations of aftersales.h, for FFIs that read
   C declarations but no preprocessor (PHP FFI::cdef, Python cffi, LuaJIT
   ffi.cdef). Generated from aftersales.h by ffi-c/tests/header.rs; do not
   edit. The documentation is in aftersales.h; the integer macros are the
   constants below; AFTERSALES_AS_OF_FROM_TICKET is the smallest int64_t
   (PHP_INT_MIN). The types are C's own: uint32_t, int64_t, size_t, bool. */

enum {
  AFTERSALES_VERSION_MAJOR = 0,
  AFTERSALES_VERSION_MINOR = 1,
  AFTERSALES_VERSION_PATCH = 0,
  AFTERSALES_EVALUATE_TRACE = 1,
  AFTERSALES_EVALUATE_LANG_ZH_CN = 2,
  AFTERSALES_EVALUATE_BECAUSE_CODES = 4,
  AFTERSALES_EVALUATE_BECAUSE_NONE = 8
};

enum aftersales_result
 {
  AFTERSALES_RESULT_OK = 0,
  AFTERSALES_RESULT_POLICY = 1,
  AFTERSALES_RESULT_TICKET = 2,
  AFTERSALES_RESULT_RULE = 3,
  AFTERSALES_RESULT_CALENDAR = 4,
  AFTERSALES_RESULT_IO = 5,
  AFTERSALES_RESULT_INPUT = 6,
  AFTERSALES_RESULT_TIMEOUT = 7,
  AFTERSALES_RESULT_NULL_PARAMETER = 100,
  AFTERSALES_RESULT_INVALID_UTF8 = 101,
  AFTERSALES_RESULT_PANIC = 102,
  AFTERSALES_RESULT_BUFFER_TOO_SMALL = 103,
};

typedef uint32_t aftersales_result;

typedef struct aftersales_calendar aftersales_calendar;

typedef struct aftersales_error aftersales_error;

typedef struct aftersales_policy aftersales_policy;

typedef struct aftersales_rule_text {
  const char *name;
  size_t name_len;
  const char *text;
  size_t text_len;
} aftersales_rule_text;

const char *aftersales_version(void);

const char *aftersales_result_name(uint32_t code);

aftersales_result aftersales_error_code(const struct aftersales_error *error);

const char *aftersales_error_message(const struct aftersales_error *error);

const char *aftersales_error_location(const struct aftersales_error *error);

const char *aftersales_error_json(const struct aftersales_error *error);

aftersales_result aftersales_error_message_copy(const struct aftersales_error *error,
                                                char *buf,
                                                size_t buf_len,
                                                size_t *len_out);

void aftersales_error_free(struct aftersales_error *error);

aftersales_result aftersales_policy_load_path(const char *path,
                                              size_t path_len,
                                              struct aftersales_policy **policy_out,
                                              struct aftersales_error **error_out);

aftersales_result aftersales_policy_load_text(const char *toml,
                                              size_t toml_len,
                                              const struct aftersales_rule_text *rules,
                                              size_t rules_len,
                                              struct aftersales_policy **policy_out,
                                              struct aftersales_error **error_out);

void aftersales_policy_free(struct aftersales_policy *policy);

aftersales_result aftersales_policy_id(const struct aftersales_policy *policy,
                                       const char **id_out);

aftersales_result aftersales_policy_version(const struct aftersales_policy *policy,
                                            const char **version_out);

aftersales_result aftersales_policy_digest(const struct aftersales_policy *policy,
                                           const char **digest_out);

aftersales_result aftersales_check_path(const char *path,
                                        size_t path_len,
                                        char **diagnostics_out,
                                        size_t *diagnostics_len_out,
                                        struct aftersales_error **error_out);

aftersales_result aftersales_check_text(const char *toml,
                                        size_t toml_len,
                                        const struct aftersales_rule_text *rules,
                                        size_t rules_len,
                                        char **diagnostics_out,
                                        size_t *diagnostics_len_out,
                                        struct aftersales_error **error_out);

aftersales_result aftersales_evaluate(const struct aftersales_policy *policy,
                                      const char *ticket,
                                      size_t ticket_len,
                                      int64_t as_of,
                                      uint32_t flags,
                                      char **answer_out,
                                      size_t *answer_len_out,
                                      struct aftersales_error **error_out);

aftersales_result aftersales_evaluate_batch(const struct aftersales_policy *policy,
                                            const char *tickets,
                                            size_t tickets_len,
                                            int64_t as_of,
                                            uint32_t flags,
                                            char **answers_out,
                                            size_t *answers_len_out,
                                            struct aftersales_error **error_out);

aftersales_result aftersales_report(const struct aftersales_policy *policy,
                                    const char *tickets,
                                    size_t tickets_len,
                                    int64_t as_of,
                                    char **report_out,
                                    size_t *report_len_out,
                                    struct aftersales_error **error_out);

void aftersales_string_free(char *string);

aftersales_result aftersales_policy_calendar(const struct aftersales_policy *policy,
                                             const char *name,
                                             size_t name_len,
                                             const struct aftersales_calendar **calendar_out,
                                             struct aftersales_error **error_out);

aftersales_result aftersales_calendar_add(const struct aftersales_calendar *calendar,
                                          int64_t start,
                                          int64_t seconds,
                                          int64_t *deadline_out,
                                          struct aftersales_error **error_out);

aftersales_result aftersales_calendar_sub(const struct aftersales_calendar *calendar,
                                          int64_t end,
                                          int64_t seconds,
                                          int64_t *start_out,
                                          struct aftersales_error **error_out);

aftersales_result aftersales_calendar_between(const struct aftersales_calendar *calendar,
                                              int64_t from,
                                              int64_t to,
                                              int64_t *seconds_out,
                                              struct aftersales_error **error_out);

aftersales_result aftersales_calendar_is_open(const struct aftersales_calendar *calendar,
                                              int64_t at,
                                              bool *open_out,
                                              struct aftersales_error **error_out);

aftersales_result aftersales_calendar_next_open(const struct aftersales_calendar *calendar,
                                                int64_t at,
                                                int64_t *open_at_out,
                                                struct aftersales_error **error_out);

aftersales_result aftersales_calendar_add_business_days(const struct aftersales_calendar *calendar,
                                                        int64_t at,
                                                        uint32_t days,
                                                        int64_t *result_out,
                                                        struct aftersales_error **error_out);
