//! Loading and freeing a policy, its id, version and digest, and checking
//! a policy without loading it.

use crate::aftersales_result;
use crate::boundary::{c_string, guard, guard_value, hand_out, not_null, text, write};
use crate::error::{aftersales_error, Failure};
use crate::pool::PolicyUse;
use aftersales::{api, Policy, PolicySource};
use std::collections::BTreeMap;
use std::ffi::{c_char, CString};
use std::path::PathBuf;

/// A compiled policy. Load it with `aftersales_policy_load_path` or
/// `aftersales_policy_load_text`, free it once with `aftersales_policy_free`
/// after every thread is done with it.
///
/// Thread safety: a policy is immutable once loaded; any number of threads
/// may use one `const aftersales_policy*` at the same time (evaluate, batch,
/// report, calendars, accessors) without locking.
pub struct aftersales_policy {
    pub(crate) policy: Policy,
    id: CString,
    version: CString,
    digest: CString,
    /// The policy's use of the library's worker threads, given back when
    /// the policy is freed (after the policy itself: fields drop in order).
    _pool: PolicyUse,
}

impl aftersales_policy {
    fn new(policy: Policy) -> aftersales_policy {
        aftersales_policy {
            id: c_string(policy.id().to_string()),
            version: c_string(policy.version().to_string()),
            digest: c_string(policy.digest().to_string()),
            policy,
            _pool: PolicyUse::take(),
        }
    }
}

/// A rule file given as text: its name (as the manifest's `policy.rules`
/// names it, e.g. `"hot_water_meter.rhai"`) and its Rhai source, each a
/// pointer and a length in bytes (UTF-8, no NUL needed).
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct aftersales_rule_text {
    /// The rule file's name.
    pub name: *const c_char,
    /// The name's length in bytes.
    pub name_len: usize,
    /// The Rhai source.
    pub text: *const c_char,
    /// The source's length in bytes.
    pub text_len: usize,
}

/// The policy behind `policy`.
///
/// # Safety
/// `policy` is NULL (an error) or a policy from this library, not yet freed.
pub(crate) unsafe fn get<'a>(
    policy: *const aftersales_policy,
) -> Result<&'a aftersales_policy, Failure> {
    // SAFETY: NULL gives None; otherwise the pointer came from
    // `Box::into_raw` in `give` and is alive (the caller's contract).
    unsafe { policy.as_ref() }.ok_or_else(|| Failure::null("policy"))
}

/// A policy source from TOML text and rule texts.
///
/// # Safety
/// `(toml, toml_len)` readable; `rules` is NULL with `rules_len == 0`, or
/// points to `rules_len` readable entries whose buffers are readable.
unsafe fn text_source(
    toml: *const c_char,
    toml_len: usize,
    rules: *const aftersales_rule_text,
    rules_len: usize,
) -> Result<PolicySource, Failure> {
    // SAFETY: the caller's contract.
    let toml = unsafe { text(toml, toml_len, "toml") }?;
    let mut texts = BTreeMap::new();
    if rules_len > 0 {
        not_null(rules, "rules")?;
        if rules_len > isize::MAX as usize / std::mem::size_of::<aftersales_rule_text>() {
            return Err(Failure::boundary(
                aftersales_result::Input,
                "rules_len",
                format!("`rules_len` of {rules_len} entries cannot be an array"),
            ));
        }
        // SAFETY: non-NULL (checked), `rules_len` readable entries (the
        // caller's contract), size within isize::MAX (checked).
        let entries = unsafe { std::slice::from_raw_parts(rules, rules_len) };
        for (i, entry) in entries.iter().enumerate() {
            // SAFETY: each entry's buffers are readable (the caller's contract).
            let name = unsafe { text(entry.name, entry.name_len, &format!("rules[{i}].name")) }?;
            // SAFETY: as above.
            let rule = unsafe { text(entry.text, entry.text_len, &format!("rules[{i}].text")) }?;
            if texts.insert(name.to_string(), rule.to_string()).is_some() {
                return Err(Failure::boundary(
                    aftersales_result::Input,
                    &format!("rules[{i}].name"),
                    format!("the rule file `{name}` is given twice (again at rules[{i}])"),
                ));
            }
        }
    }
    Ok(PolicySource::Text {
        toml: toml.to_string(),
        rules: texts,
    })
}

/// Loads and compiles the policy in `source` into `*policy_out`.
///
/// # Safety
/// `policy_out` is NULL (an error) or writable.
unsafe fn load(
    source: &PolicySource,
    policy_out: *mut *mut aftersales_policy,
) -> Result<(), Failure> {
    not_null(policy_out, "policy_out")?;
    let policy = api::load_policy(source)
        .map(aftersales_policy::new)
        .map_err(|e| Failure::engine(&e))?;
    let policy = Box::into_raw(Box::new(policy));
    // SAFETY: `policy_out` is non-NULL (checked) and writable (contract).
    unsafe { write(policy_out, policy, "policy_out") }
}

/// Loads a policy from its manifest file; the `policy.rules` file is read
/// from the manifest's directory. `path` is `path_len` bytes of UTF-8 (no
/// NUL needed). On success `*policy_out` is the policy (free it with
/// `aftersales_policy_free`); on failure it is left unchanged and
/// `*error_out` says why (`AFTERSALES_RESULT_IO`, `_POLICY`, …).
///
/// # Safety
/// `path` points to `path_len` readable bytes; `policy_out` is writable;
/// `error_out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn aftersales_policy_load_path(
    path: *const c_char,
    path_len: usize,
    policy_out: *mut *mut aftersales_policy,
    error_out: *mut *mut aftersales_error,
) -> aftersales_result {
    guard(error_out, || {
        // SAFETY: the caller's contract.
        let path = unsafe { text(path, path_len, "path") }?;
        let source = PolicySource::Path(PathBuf::from(path));
        // SAFETY: the caller's contract.
        unsafe { load(&source, policy_out) }
    })
}

/// Loads a policy from its manifest text and the texts of its rule files:
/// `toml` is `toml_len` bytes of UTF-8; `rules` is an array of `rules_len`
/// named rule texts (NULL when `rules_len` is 0), matched by name with the
/// manifest's `policy.rules`. The library copies what it needs: the
/// buffers may be freed once the call returns. On success `*policy_out` is
/// the policy; on failure `*error_out` says why.
///
/// # Safety
/// `toml` points to `toml_len` readable bytes; `rules` is NULL with
/// `rules_len == 0` or points to `rules_len` entries whose buffers are
/// readable; `policy_out` is writable; `error_out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn aftersales_policy_load_text(
    toml: *const c_char,
    toml_len: usize,
    rules: *const aftersales_rule_text,
    rules_len: usize,
    policy_out: *mut *mut aftersales_policy,
    error_out: *mut *mut aftersales_error,
) -> aftersales_result {
    guard(error_out, || {
        // SAFETY: the caller's contract.
        let source = unsafe { text_source(toml, toml_len, rules, rules_len) }?;
        // SAFETY: the caller's contract.
        unsafe { load(&source, policy_out) }
    })
}

/// Frees a policy once no thread uses it any more. NULL is allowed and
/// does nothing; free each policy once. Calendars taken from the policy
/// are invalid afterwards.
///
/// # Safety
/// `policy` is NULL or a policy from this library, not yet freed, that no
/// other thread is using.
#[no_mangle]
pub unsafe extern "C" fn aftersales_policy_free(policy: *mut aftersales_policy) {
    guard_value((), || {
        if !policy.is_null() {
            // SAFETY: the pointer came from `Box::into_raw` in `load` and
            // has not been freed (the caller's contract).
            drop(unsafe { Box::from_raw(policy) });
        }
    });
}

/// One of the policy's NUL-terminated strings into `*out`.
///
/// # Safety
/// `policy` is NULL or a live policy; `out` is NULL or writable.
unsafe fn accessor(
    policy: *const aftersales_policy,
    out: *mut *const c_char,
    field: fn(&aftersales_policy) -> &CString,
) -> aftersales_result {
    guard(std::ptr::null_mut(), || {
        // SAFETY: the caller's contract.
        let policy = unsafe { get(policy) }?;
        // SAFETY: the caller's contract.
        unsafe { write(out, field(policy).as_ptr(), "out") }
    })
}

/// The policy's id (`[policy] id`) into `*id_out`: a NUL-terminated string
/// owned by the policy, valid until `aftersales_policy_free`.
///
/// # Safety
/// `policy` is a live policy; `id_out` is writable.
#[no_mangle]
pub unsafe extern "C" fn aftersales_policy_id(
    policy: *const aftersales_policy,
    id_out: *mut *const c_char,
) -> aftersales_result {
    // SAFETY: the caller's contract.
    unsafe { accessor(policy, id_out, |p| &p.id) }
}

/// The policy's version (`[policy] version`) into `*version_out`: a
/// NUL-terminated string owned by the policy, valid until
/// `aftersales_policy_free`.
///
/// # Safety
/// `policy` is a live policy; `version_out` is writable.
#[no_mangle]
pub unsafe extern "C" fn aftersales_policy_version(
    policy: *const aftersales_policy,
    version_out: *mut *const c_char,
) -> aftersales_result {
    // SAFETY: the caller's contract.
    unsafe { accessor(policy, version_out, |p| &p.version) }
}

/// The policy's digest (`sha256:…` of its canonical manifest and rules,
/// as every evaluation echoes it) into `*digest_out`: a NUL-terminated
/// string owned by the policy, valid until `aftersales_policy_free`.
///
/// # Safety
/// `policy` is a live policy; `digest_out` is writable.
#[no_mangle]
pub unsafe extern "C" fn aftersales_policy_digest(
    policy: *const aftersales_policy,
    digest_out: *mut *const c_char,
) -> aftersales_result {
    // SAFETY: the caller's contract.
    unsafe { accessor(policy, digest_out, |p| &p.digest) }
}

/// Checks a policy file without loading it: every error and warning as a
/// JSON array of `{"level","location","message"}` into `*diagnostics_out`
/// (free with `aftersales_string_free`; length in `*diagnostics_len_out`
/// when not NULL). A policy with errors is still `AFTERSALES_RESULT_OK`:
/// the diagnostics are the answer (`[]` when the policy is clean). A
/// manifest that cannot be read (missing, not permitted) is
/// `AFTERSALES_RESULT_IO`, as for `aftersales_policy_load_path`, with the
/// error in `*error_out` and `*diagnostics_out` left unchanged.
///
/// # Safety
/// `path` points to `path_len` readable bytes; `diagnostics_out` is
/// writable; `diagnostics_len_out` and `error_out` are NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn aftersales_check_path(
    path: *const c_char,
    path_len: usize,
    diagnostics_out: *mut *mut c_char,
    diagnostics_len_out: *mut usize,
    error_out: *mut *mut aftersales_error,
) -> aftersales_result {
    guard(error_out, || {
        // SAFETY: the caller's contract.
        let path = unsafe { text(path, path_len, "path") }?;
        not_null(diagnostics_out, "diagnostics_out")?;
        let source = PolicySource::Path(PathBuf::from(path));
        // A manifest that cannot be read is an IO error, as when loading,
        // not a diagnostic: there is no policy to check.
        if std::fs::File::open(path).is_err() {
            if let Err(e) = api::load_policy(&source) {
                return Err(Failure::engine(&e));
            }
        }
        let json = api::check_json(&source);
        // SAFETY: the caller's contract.
        unsafe { hand_out(json, diagnostics_out, diagnostics_len_out) }
    })
}

/// Checks a policy given as texts (as `aftersales_policy_load_text` takes
/// them) without loading it; the diagnostics as in `aftersales_check_path`.
///
/// # Safety
/// As `aftersales_policy_load_text` for the inputs; `diagnostics_out` is
/// writable; `diagnostics_len_out` and `error_out` are NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn aftersales_check_text(
    toml: *const c_char,
    toml_len: usize,
    rules: *const aftersales_rule_text,
    rules_len: usize,
    diagnostics_out: *mut *mut c_char,
    diagnostics_len_out: *mut usize,
    error_out: *mut *mut aftersales_error,
) -> aftersales_result {
    guard(error_out, || {
        // SAFETY: the caller's contract.
        let source = unsafe { text_source(toml, toml_len, rules, rules_len) }?;
        not_null(diagnostics_out, "diagnostics_out")?;
        let json = api::check_json(&source);
        // SAFETY: the caller's contract.
        unsafe { hand_out(json, diagnostics_out, diagnostics_len_out) }
    })
}
