//! Rhai rules: one engine configured once per policy, the policy's script
//! and every inline expression compiled once into a single AST, helpers for
//! durations, dates and money, and explicit limits. Scripts cannot do I/O
//! (no `import`, no module resolver: rules have no file system) and cannot
//! read the clock; a script that exceeds a limit (operations, nesting,
//! sizes, or the wall-clock time of one call) fails that evaluation with an
//! error naming the policy, the function and the limit.

pub(crate) mod condition;
pub(crate) mod definitions;
pub(crate) mod field;
mod helpers;
mod instants;
mod session;
pub(crate) mod view;

pub use session::TraceEntry;
pub(crate) use session::{as_it_stood, field_value, shown_to_rules, Session};

use crate::error::{Error, Location};
use crate::ticket::Ticket;
use chrono::NaiveDate;
use rhai::{CallFnOptions, Dynamic, Engine, EvalAltResult, Scope, AST};
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Weak};
use std::time::{Duration, Instant};

/// Limits every script runs under.
///
/// The limits that decide an answer count work, never time: operations,
/// call depth, expression depth and the sizes of strings, arrays and maps
/// are the same on every machine, so a ticket gets the same answer on a
/// busy machine and an idle one. The wall-clock [`TIME`](limits::TIME) is only a
/// backstop against a built-in function that stalls (Rhai counts one call
/// of a native function as one operation whatever it costs); reaching it
/// is an [`crate::Error::Timeout`], never a rule error.
pub mod limits {
    /// Operations one rule call may perform unless the policy sets
    /// `[policy] rule_operation_limit`. The example packs peak at 91
    /// operations in one call (smart_home; hot_water_meter 41,
    /// online_retail 28, on their own and on generated tickets:
    /// `core/tests/limits.rs` measures it), so the default is about 110
    /// times the largest. It also bounds what built-in functions can cost:
    /// 10,000 calls on 10,000-item arrays is well under a second.
    pub const OPERATIONS: u64 = 10_000;
    /// The most operations a policy may allow one rule call.
    pub const MAX_OPERATIONS: u64 = 100_000_000;
    /// Nested function calls.
    pub const CALL_LEVELS: usize = 32;
    /// Expression nesting at global level and inside functions.
    pub const EXPRESSION_DEPTH: (usize, usize) = (64, 32);
    /// Characters in one string.
    pub const STRING_SIZE: usize = 16 * 1024;
    /// Items in one array.
    pub const ARRAY_SIZE: usize = 10_000;
    /// Entries in one object map.
    pub const MAP_SIZE: usize = 10_000;
    /// The wall-clock backstop of one rule call unless the policy sets
    /// `[policy] rule_time_limit`: far beyond any rule within the
    /// operation limit on a loaded machine, it stops only a native call
    /// that stalls.
    pub const TIME: std::time::Duration = std::time::Duration::from_secs(10);
    /// The shortest `rule_time_limit` a policy may set: a shorter backstop
    /// could be reached by a loaded or paused machine.
    pub const MIN_TIME: std::time::Duration = std::time::Duration::from_secs(1);
    /// The longest `rule_time_limit` a policy (or the operator, with
    /// `AFTERSALES_RULE_TIME_LIMIT_MS`) may set.
    pub const MAX_TIME: std::time::Duration = std::time::Duration::from_secs(600);
    /// Operations between two readings of the clock.
    pub const TIME_CHECK_EVERY: u64 = 8;
}

thread_local! {
    /// The instant the rule call running on this thread must end by.
    static CALL_DEADLINE: Cell<Option<Instant>> = const { Cell::new(None) };
    /// Operations the rule call running on this thread has performed.
    static CALL_OPERATIONS: Cell<u64> = const { Cell::new(0) };
    /// Operations charged by built-in functions in the rule call running
    /// on this thread, beyond the one Rhai counts for each call.
    static CALL_CHARGED: Cell<u64> = const { Cell::new(0) };
}

/// What `on_progress` stops a script with when built-in functions charged
/// its call past the operation limit.
const OUT_OF_OPERATIONS: &str = "out of operations";

/// Charges the running rule call `operations` (a comparison each) for the
/// work of a built-in function that Rhai counts as one operation.
fn charge(operations: usize) {
    let operations = u64::try_from(operations).unwrap_or(u64::MAX);
    CALL_CHARGED.with(|cell| cell.set(cell.get().saturating_add(operations)));
}

/// `contains` and `index_of` of an array, as Rhai's own, but charging one
/// operation per comparison: a search of a 10,000-item array is 10,000
/// operations, not one, so the operation limit bounds its time.
fn register_charged(engine: &mut Engine) {
    use rhai::{Array, NativeCallContext};
    fn equals(
        ctx: &NativeCallContext,
        item: &mut Dynamic,
        value: &Dynamic,
    ) -> Result<bool, Box<EvalAltResult>> {
        let same_type = item.type_id() == value.type_id();
        match ctx.call_native_fn_raw("==", true, &mut [item, &mut value.clone()]) {
            Ok(answer) => Ok(answer.as_bool().unwrap_or(false)),
            Err(error) => match *error {
                EvalAltResult::ErrorFunctionNotFound(ref signature, ..)
                    if signature.starts_with("==") && !same_type =>
                {
                    Ok(false)
                }
                _ => Err(error),
            },
        }
    }
    fn position(
        ctx: &NativeCallContext,
        array: &mut Array,
        value: &Dynamic,
    ) -> Result<Option<usize>, Box<EvalAltResult>> {
        for (index, item) in array.iter_mut().enumerate() {
            charge(1);
            if equals(ctx, item, value)? {
                return Ok(Some(index));
            }
        }
        Ok(None)
    }
    engine.register_fn(
        "contains",
        |ctx: NativeCallContext, array: &mut Array, value: Dynamic| {
            position(&ctx, array, &value).map(|p| p.is_some())
        },
    );
    engine.register_fn(
        "index_of",
        |ctx: NativeCallContext, array: &mut Array, value: Dynamic| {
            position(&ctx, array, &value)
                .map(|p| p.map_or(-1, |i| i64::try_from(i).unwrap_or(i64::MAX)))
        },
    );
}

/// What `on_progress` stops a script with when its call is out of time.
const OUT_OF_TIME: &str = "out of time";

/// What a rule sees of the evaluation besides its arguments (the Rhai tag).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RuleContext {
    /// The local date of `as_of` in the policy's zone (`today()`, `age_days`).
    pub today: NaiveDate,
}

/// A compiled inline expression (`when`, a property), called as a function.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ExpressionId(usize);

#[derive(Debug, Clone)]
struct Expression {
    /// TOML path of the expression, used in errors.
    path: String,
    /// Name of the generated wrapper function.
    function: String,
    /// Characters of the wrapper before the expression's text.
    prefix: usize,
}

/// The policy's compiled rules.
///
/// Rhai's engine and AST share their modules through reference counts;
/// evaluating one policy on several threads at once made every call bounce
/// those counts between cores, and a batch on two cores ran no faster than
/// on one. So each thread evaluates with its own copy, compiled from the
/// same sources on the thread's first call and dropped with the policy.
#[derive(Debug)]
pub struct Rules {
    policy: String,
    engine: Engine,
    ast: AST,
    /// The script and each wrapped expression, to compile per thread.
    sources: Vec<String>,
    /// Identifies these rules in the per-thread copies; dropped with them.
    token: Arc<()>,
    script_name: String,
    functions: HashMap<String, usize>,
    /// Where each script function is defined: line and column of its `fn`.
    definitions: HashMap<String, (u32, u32)>,
    expressions: Vec<Expression>,
    /// Operations one call may perform.
    operation_limit: u64,
    /// Wall-clock backstop of one call.
    time_limit: Duration,
    /// The most operations one call has performed so far.
    peak_operations: AtomicU64,
}

/// Builds the engine every policy uses: limits, no `eval`, no `import` and
/// no module resolver, no output.
fn new_engine(operation_limit: u64) -> Engine {
    let mut engine = Engine::new();
    engine
        .set_max_operations(operation_limit)
        .set_max_call_levels(limits::CALL_LEVELS)
        .set_max_expr_depths(limits::EXPRESSION_DEPTH.0, limits::EXPRESSION_DEPTH.1)
        .set_max_string_size(limits::STRING_SIZE)
        .set_max_array_size(limits::ARRAY_SIZE)
        .set_max_map_size(limits::MAP_SIZE)
        .set_fail_on_invalid_map_property(false)
        .disable_symbol("eval")
        .disable_symbol("import")
        .set_module_resolver(rhai::module_resolvers::DummyModuleResolver::new());
    engine.on_progress(move |operations| {
        let operations = operations.saturating_add(CALL_CHARGED.with(Cell::get));
        CALL_OPERATIONS.with(|cell| cell.set(operations));
        if operations > operation_limit {
            return Some(Dynamic::from(OUT_OF_OPERATIONS));
        }
        if operations % limits::TIME_CHECK_EVERY != 0 {
            return None;
        }
        let deadline = CALL_DEADLINE.with(Cell::get)?;
        (Instant::now() >= deadline).then(|| Dynamic::from(OUT_OF_TIME))
    });
    engine.on_print(|_| {});
    engine.on_debug(|_, _, _| {});
    helpers::register(&mut engine);
    view::register(&mut engine);
    register_charged(&mut engine);
    engine
}

impl Rules {
    /// Compiles the policy's script (`None` for a policy without one).
    /// `script_name` is the file name or `policy.script`, used in locations.
    pub fn new(policy: &str, script: Option<&str>, script_name: &str) -> Result<Rules, Error> {
        let engine = new_engine(limits::OPERATIONS);
        let ast = match script {
            Some(source) => engine.compile(source).map_err(|e| {
                let position = e.position();
                Error::Policy {
                    policy: policy.to_string(),
                    location: Location {
                        path: script_name.to_string(),
                        line: position.line().and_then(|l| u32::try_from(l).ok()),
                        column: position.position().and_then(|c| u32::try_from(c).ok()),
                    },
                    message: syntax_message(e.err_type()),
                }
            })?,
            None => AST::empty(),
        };
        let functions = ast
            .iter_functions()
            .map(|f| (f.name.to_string(), f.params.len()))
            .collect();
        Ok(Rules {
            policy: policy.to_string(),
            engine,
            ast,
            sources: script.map(str::to_string).into_iter().collect(),
            token: Arc::new(()),
            script_name: script_name.to_string(),
            functions,
            definitions: script.map(definitions::definitions).unwrap_or_default(),
            expressions: Vec::new(),
            operation_limit: limits::OPERATIONS,
            time_limit: limits::TIME,
            peak_operations: AtomicU64::new(0),
        })
    }

    /// Sets the wall-clock backstop of one rule call (default
    /// [`limits::TIME`]). Reaching it is an [`Error::Timeout`].
    pub fn set_time_limit(&mut self, limit: Duration) {
        self.time_limit = limit;
    }

    /// Sets the operations one rule call may perform (default
    /// [`limits::OPERATIONS`]): the deterministic bound on a rule's work.
    pub fn set_operation_limit(&mut self, limit: u64) {
        self.operation_limit = limit;
        self.engine.set_max_operations(limit);
    }

    /// The operations one rule call may perform.
    pub fn operation_limit(&self) -> u64 {
        self.operation_limit
    }

    /// The most operations any one call of these rules has performed so
    /// far (in this process): how close the policy comes to its
    /// operation limit.
    pub fn peak_operations(&self) -> u64 {
        self.peak_operations.load(Ordering::Relaxed)
    }

    /// The number of parameters of a script function, if the script defines it.
    pub fn function_arity(&self, name: &str) -> Option<usize> {
        self.functions.get(name).copied()
    }

    /// Where script function `name` is defined: the rule file (or
    /// `policy.script`) and the line and column of its `fn`. Errors in
    /// what a rule returned are located here.
    pub fn function_location(&self, name: &str) -> Location {
        let at = self.definitions.get(name);
        Location {
            path: self.script_name.clone(),
            line: at.map(|a| a.0),
            column: at.map(|a| a.1),
        }
    }

    /// Compiles an inline expression found at TOML `path`, which will be
    /// called with the named parameters (e.g. `ticket`, `severity`). The
    /// expression may call the script's functions.
    pub fn compile_expression(
        &mut self,
        path: &str,
        source: &str,
        params: &[&str],
    ) -> Result<ExpressionId, Error> {
        let id = self.expressions.len();
        let function = format!("__expression_{id}");
        let prefix = format!("fn {function}({}) {{ ", params.join(", "));
        let wrapped = format!("{prefix}{source}\n}}");
        let compiled = self.engine.compile(&wrapped).map_err(|e| {
            let position = e.position();
            let line = position.line();
            let column = position.position().map(|c| {
                if line == Some(1) {
                    c.saturating_sub(prefix.chars().count())
                } else {
                    c
                }
            });
            Error::Policy {
                policy: self.policy.clone(),
                location: Location {
                    path: path.to_string(),
                    line: line.and_then(|l| u32::try_from(l).ok()),
                    column: column.and_then(|c| u32::try_from(c).ok()),
                },
                message: format!(
                    "Rhai syntax error in expression `{source}`: {}",
                    e.err_type()
                ),
            }
        })?;
        // `combine` appends in place; `merge` copied the whole AST each
        // time, which made compiling n expressions cost n².
        self.ast.combine(compiled);
        self.sources.push(wrapped);
        self.expressions.push(Expression {
            path: path.to_string(),
            function,
            prefix: prefix.chars().count(),
        });
        Ok(ExpressionId(id))
    }

    /// The TOML path of a compiled expression.
    pub fn expression_path(&self, id: ExpressionId) -> &str {
        self.expressions
            .get(id.0)
            .map(|e| e.path.as_str())
            .unwrap_or_default()
    }

    /// Calls a script function.
    pub fn call(
        &self,
        context: RuleContext,
        function: &str,
        args: Vec<Dynamic>,
    ) -> Result<Dynamic, Error> {
        self.invoke(context, function, Label::Function(function), args)
    }

    /// Evaluates a compiled expression with its parameters' values.
    pub fn evaluate(
        &self,
        context: RuleContext,
        id: ExpressionId,
        args: Vec<Dynamic>,
    ) -> Result<Dynamic, Error> {
        let Some(expression) = self.expressions.get(id.0) else {
            return Err(Error::Rule {
                policy: self.policy.clone(),
                function: String::new(),
                location: Location::default(),
                message: "unknown expression".into(),
            });
        };
        self.invoke(
            context,
            &expression.function,
            Label::Expression(&expression.path),
            args,
        )
    }

    fn invoke(
        &self,
        context: RuleContext,
        function: &str,
        label: Label<'_>,
        args: Vec<Dynamic>,
    ) -> Result<Dynamic, Error> {
        let options = CallFnOptions::new()
            .eval_ast(false)
            .rewind_scope(true)
            .with_tag(context);
        let mut scope = Scope::new();
        let local = self.local();
        let deadline = Instant::now().checked_add(self.time_limit);
        let outer = CALL_DEADLINE.with(|cell| cell.replace(deadline));
        let outer_operations = CALL_OPERATIONS.with(|cell| cell.replace(0));
        let outer_charged = CALL_CHARGED.with(|cell| cell.replace(0));
        let result = local
            .engine
            .call_fn_with_options::<Dynamic>(options, &mut scope, &local.ast, function, args);
        CALL_DEADLINE.with(|cell| cell.set(outer));
        let operations = CALL_OPERATIONS.with(|cell| cell.replace(outer_operations));
        CALL_CHARGED.with(|cell| cell.set(outer_charged));
        self.peak_operations
            .fetch_max(operations, Ordering::Relaxed);
        result.map_err(|e| self.runtime_error(label, &e))
    }

    /// This thread's copy of the engine and AST (see [`Rules`]). The
    /// copies of dropped rules are forgotten at this thread's next call
    /// after the drop, and a thread keeps at most [`MAX_LOCAL_COPIES`],
    /// forgetting the least recently used.
    fn local(&self) -> Rc<LocalRules> {
        let key = Arc::as_ptr(&self.token) as usize;
        LOCAL_RULES.with(|cell| {
            let mut copies = cell.borrow_mut();
            copies.tick = copies.tick.wrapping_add(1);
            let tick = copies.tick;
            let drops = DROPPED.load(Ordering::Acquire);
            if drops != copies.seen_drops {
                copies.seen_drops = drops;
                copies.forget_dropped();
            }
            if let Some(slot) = copies.map.get_mut(&key) {
                // A copy made while the policy was still compiling lacks later expressions.
                if slot.token.upgrade().is_some()
                    && slot.local.sources == self.sources.len()
                    && slot.local.operation_limit == self.operation_limit
                {
                    slot.used = tick;
                    return Rc::clone(&slot.local);
                }
            }
            copies.map.remove(&key);
            copies.forget_dropped();
            while copies.map.len() >= MAX_LOCAL_COPIES {
                let oldest = copies
                    .map
                    .iter()
                    .min_by_key(|(_, slot)| slot.used)
                    .map(|(key, _)| *key);
                match oldest {
                    Some(oldest) => copies.map.remove(&oldest),
                    None => break,
                };
            }
            let engine = new_engine(self.operation_limit);
            let mut ast = AST::empty();
            for source in &self.sources {
                // The sources compiled once already; a failure here cannot
                // happen, and would only leave this thread the shared copy.
                match engine.compile(source) {
                    Ok(compiled) => {
                        ast.combine(compiled);
                    }
                    Err(_) => {
                        return Rc::new(LocalRules {
                            engine: new_engine(self.operation_limit),
                            ast: self.ast.clone(),
                            sources: self.sources.len(),
                            operation_limit: self.operation_limit,
                        })
                    }
                }
            }
            let local = Rc::new(LocalRules {
                engine,
                ast,
                sources: self.sources.len(),
                operation_limit: self.operation_limit,
            });
            copies.map.insert(
                key,
                Slot {
                    token: Arc::downgrade(&self.token),
                    local: Rc::clone(&local),
                    used: tick,
                },
            );
            local
        })
    }

    fn runtime_error(&self, label: Label<'_>, error: &EvalAltResult) -> Error {
        let name = match label {
            Label::Function(name) => format!("{name}()"),
            Label::Expression(path) => path.to_string(),
        };
        let (line, column) = self.position(label, error);
        let location = Location {
            path: match label {
                Label::Function(_) => self.script_name.clone(),
                Label::Expression(path) => path.to_string(),
            },
            line,
            column,
        };
        let message = match innermost(error) {
            EvalAltResult::ErrorTerminated(value, _)
                if value.clone().into_string().ok().as_deref() == Some(OUT_OF_OPERATIONS) =>
            {
                format!(
                    "exceeded the limit of {} operations per rule call",
                    self.operation_limit
                )
            }
            EvalAltResult::ErrorTooManyOperations(_) => format!(
                "exceeded the limit of {} operations per rule call",
                self.operation_limit
            ),
            EvalAltResult::ErrorTerminated(value, _)
                if value.clone().into_string().ok().as_deref() == Some(OUT_OF_TIME) =>
            {
                return Error::Timeout {
                    policy: self.policy.clone(),
                    function: name,
                    location,
                    message: format!(
                        "did not finish within the wall-clock backstop of {} ms per rule \
                         call; the work of a rule is bounded by its operations, so the \
                         machine stalled or a built-in function ran long",
                        self.time_limit.as_millis()
                    ),
                };
            }
            EvalAltResult::ErrorStackOverflow(_) => format!(
                "exceeded the limit of {} nested function calls",
                limits::CALL_LEVELS
            ),
            EvalAltResult::ErrorDataTooLarge(what, _) => format!(
                "{what} exceeded its limit (strings {} characters, arrays {} items, maps {} entries)",
                limits::STRING_SIZE,
                limits::ARRAY_SIZE,
                limits::MAP_SIZE
            ),
            _ => error.to_string(),
        };
        Error::Rule {
            policy: self.policy.clone(),
            function: name,
            location,
            message,
        }
    }

    /// The line and column of a failure: where it happened, in the
    /// innermost function call, in the rule file or, for an inline
    /// expression, in the expression's own text.
    fn position(&self, label: Label<'_>, error: &EvalAltResult) -> (Option<u32>, Option<u32>) {
        let mut position = error.position();
        let mut current = error;
        while let EvalAltResult::ErrorInFunctionCall(_, _, inner, _) = current {
            if !inner.position().is_none() {
                position = inner.position();
            }
            current = inner;
        }
        let line = position.line();
        let column = position.position();
        let column = match (label, line) {
            // The expression is wrapped in `fn __expression_N(…) { `.
            (Label::Expression(_), Some(1)) => column.map(|c| {
                let prefix = self
                    .expressions
                    .iter()
                    .find(|e| matches!(label, Label::Expression(p) if p == e.path))
                    .map(|e| e.prefix)
                    .unwrap_or_default();
                c.saturating_sub(prefix)
            }),
            _ => column,
        };
        (
            line.and_then(|l| u32::try_from(l).ok()),
            column.and_then(|c| u32::try_from(c).ok()),
        )
    }
}

/// The error a chain of function calls ended in.
fn innermost(error: &EvalAltResult) -> &EvalAltResult {
    match error {
        EvalAltResult::ErrorInFunctionCall(_, _, inner, _) => innermost(inner),
        other => other,
    }
}

/// What a failed call is reported as: a script function (`severity()`) or
/// an inline expression (its TOML path). Worded only when a call fails.
#[derive(Clone, Copy)]
enum Label<'a> {
    Function(&'a str),
    Expression(&'a str),
}

/// A Rhai syntax error in a policy author's words.
fn syntax_message(error: &rhai::ParseErrorType) -> String {
    let text = error.to_string();
    if text.contains("'import'") {
        return format!(
            "Rhai syntax error: {text}: rules have no file system and cannot import \
             modules; put shared functions in the policy's own rules"
        );
    }
    format!("Rhai syntax error: {text}")
}

/// One thread's copy of a policy's engine and AST.
struct LocalRules {
    engine: Engine,
    ast: AST,
    /// How many of the rules' sources it was compiled from.
    sources: usize,
    /// The operation limit its engine was built with.
    operation_limit: u64,
}

/// The most copies of rules' engines one thread keeps: a thread that
/// evaluates more policies than this in turn recompiles the least recently
/// used one's copy when it comes back to it.
pub(crate) const MAX_LOCAL_COPIES: usize = 64;

/// How many [`Rules`] were ever dropped: a thread that sees the number
/// change forgets the copies of dropped rules at its next call.
static DROPPED: AtomicU64 = AtomicU64::new(0);

impl Drop for Rules {
    fn drop(&mut self) {
        // The token dies first, so that a thread that sees the new count
        // also sees these rules dead.
        drop(std::mem::replace(&mut self.token, Arc::new(())));
        DROPPED.fetch_add(1, Ordering::Release);
    }
}

/// One thread's copy of some rules, with their liveness and last use.
struct Slot {
    token: Weak<()>,
    local: Rc<LocalRules>,
    used: u64,
}

/// Per thread: the rules' token address → this thread's copy.
#[derive(Default)]
struct LocalCopies {
    map: HashMap<usize, Slot>,
    /// [`DROPPED`] when this thread last forgot dropped rules.
    seen_drops: u64,
    /// Calls on this thread, to find the least recently used copy.
    tick: u64,
}

impl LocalCopies {
    fn forget_dropped(&mut self) {
        self.map.retain(|_, slot| slot.token.strong_count() > 0);
    }
}

/// How many copies of rules' engines this thread holds (tests).
#[cfg(test)]
pub(crate) fn local_copies() -> usize {
    LOCAL_RULES.with(|cell| cell.borrow().map.len())
}

thread_local! {
    static LOCAL_RULES: RefCell<LocalCopies> = RefCell::new(LocalCopies::default());
}

/// The ticket as rules see it: a read-only view over a copy of the ticket
/// (see [`view`]), cheap to pass to every rule.
pub fn ticket_value(ticket: &Ticket) -> Dynamic {
    Dynamic::from(view::TicketView::new(Arc::new(ticket.clone())))
}

/// Reads a rule's result as text (`()` gives `None`).
pub fn as_text(value: &Dynamic) -> Option<String> {
    if value.is_unit() {
        return None;
    }
    if value.is_string() {
        return value.clone().into_string().ok();
    }
    Some(value.to_string())
}

#[cfg(test)]
mod tests;
