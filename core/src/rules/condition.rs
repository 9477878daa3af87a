//! `when` conditions compiled to native code.
//!
//! A condition made only of comparisons (`==`, `!=`, `<`, `<=`, `>`, `>=`),
//! `in [list]`, `&&`, `||`, `!` and parentheses over scalar ticket fields
//! (`ticket.channel`, `ticket.product?.category`, `(ticket.fault?.complexity
//! ?? "complex")`), `severity` and literals (strings, integers, decimals
//! written as floats, `true`, `false`, `()`) is evaluated here without
//! Rhai. Anything else (function calls, arithmetic, events, dates) is left
//! to Rhai, which compiles every condition anyway for its errors.
//!
//! The native evaluation gives exactly Rhai's answer: values compare as
//! Rhai compares them (values of different types are unequal; an integer
//! and a float compare as numbers; ordering values of different types is
//! false), `&&` and `||` short-circuit. Where Rhai would raise an error
//! (`.` on an absent parent, `!` or `&&` on a non-boolean) or where its
//! answer is not plain (maps, arrays, ordering two booleans) the native
//! code gives up and the evaluation asks Rhai.

use super::field::{Field, Read, Value};
use super::{ExpressionId, Session};
use crate::error::Result;
use crate::ticket::Ticket;
use rhai::Dynamic;

/// A `when` condition: compiled by Rhai (for its errors, and to evaluate
/// what the native code leaves to it) and, where it can be, natively.
#[derive(Debug, Clone)]
pub struct Condition {
    /// The Rhai expression, called with `(ticket, severity)`.
    pub id: ExpressionId,
    /// The condition as written.
    pub source: String,
    native: Option<Native>,
}

impl Condition {
    /// A condition compiled by Rhai as `id`, from `source`.
    pub fn new(id: ExpressionId, source: &str) -> Condition {
        Condition {
            id,
            source: source.to_string(),
            native: Native::compile(source),
        }
    }

    /// Whether the condition runs without Rhai.
    #[cfg(test)]
    pub fn is_native(&self) -> bool {
        self.native.is_some()
    }

    /// The condition's value for the session's ticket at `severity`:
    /// natively where it can, else through Rhai.
    pub(crate) fn evaluate(&self, session: &mut Session<'_>, severity: &str) -> Result<Dynamic> {
        if let Some(native) = &self.native {
            // Scalar fields do not change with events: no replay needed.
            if let Ok(Value::Bool(b)) = native.evaluate(session.ticket, severity) {
                return Ok(Dynamic::from_bool(b));
            }
        }
        let value = session.ticket_value();
        session.rules.evaluate(
            session.context,
            self.id,
            vec![value, Dynamic::from(severity.to_string())],
        )
    }
}

/// A condition compiled to native code.
#[derive(Debug, Clone)]
pub(crate) struct Native(Expr);

/// Rhai must answer: the native code cannot be sure of the result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct AskRhai;

#[derive(Debug, Clone)]
enum Expr {
    Literal(Literal),
    /// `ticket.a?.b`: the field, and whether each step after the first is `?.`.
    Field(Field, Vec<bool>),
    /// `(ticket.a?.b ?? "x")`.
    Default(Box<Expr>, Literal),
    Severity,
    Not(Box<Expr>),
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
    Compare(Op, Box<Expr>, Box<Expr>),
    In(Box<Expr>, Vec<Literal>),
}

#[derive(Debug, Clone, PartialEq)]
enum Literal {
    Unit,
    Str(String),
    Int(i64),
    Float(f64),
    Bool(bool),
}

impl Literal {
    fn value(&self) -> Value<'_> {
        match self {
            Literal::Unit => Value::Unit,
            Literal::Str(s) => Value::Str(s),
            Literal::Int(i) => Value::Int(*i),
            Literal::Float(f) => Value::Float(*f),
            Literal::Bool(b) => Value::Bool(*b),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Ident(String),
    Str(String),
    Int(i64),
    Float(f64),
    Dot,
    Elvis,
    Coalesce,
    Op(Op),
    And,
    Or,
    Not,
    Open,
    Close,
    OpenList,
    CloseList,
    Comma,
    Minus,
}

// Long because it is the tokenizer of native conditions: one match arm per token.
/// Splits `source` into tokens; `None` for anything outside the native subset.
fn tokens(source: &str) -> Option<Vec<Token>> {
    let bytes = source.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let next = bytes.get(i + 1).copied();
        let two = |t: Token, out: &mut Vec<Token>| {
            out.push(t);
            2
        };
        let step = match (b, next) {
            (b' ' | b'\t' | b'\n' | b'\r', _) => 1,
            (b'?', Some(b'.')) => two(Token::Elvis, &mut out),
            (b'?', Some(b'?')) => two(Token::Coalesce, &mut out),
            (b'=', Some(b'=')) => two(Token::Op(Op::Eq), &mut out),
            (b'!', Some(b'=')) => two(Token::Op(Op::Ne), &mut out),
            (b'<', Some(b'=')) => two(Token::Op(Op::Le), &mut out),
            (b'>', Some(b'=')) => two(Token::Op(Op::Ge), &mut out),
            (b'&', Some(b'&')) => two(Token::And, &mut out),
            (b'|', Some(b'|')) => two(Token::Or, &mut out),
            // `..` and `!in` are Rhai's; not ours.
            (b'.', Some(b'.')) | (b'!', Some(b'i')) => return None,
            (b'<', _) => two(Token::Op(Op::Lt), &mut out) - 1,
            (b'>', _) => two(Token::Op(Op::Gt), &mut out) - 1,
            (b'!', _) => two(Token::Not, &mut out) - 1,
            (b'.', _) => two(Token::Dot, &mut out) - 1,
            (b'(', _) => two(Token::Open, &mut out) - 1,
            (b')', _) => two(Token::Close, &mut out) - 1,
            (b'[', _) => two(Token::OpenList, &mut out) - 1,
            (b']', _) => two(Token::CloseList, &mut out) - 1,
            (b',', _) => two(Token::Comma, &mut out) - 1,
            (b'-', _) => two(Token::Minus, &mut out) - 1,
            (b'"', _) => {
                let rest = bytes.get(i + 1..)?;
                let end = rest.iter().position(|&c| c == b'"')?;
                let body = rest.get(..end)?;
                // Escapes are Rhai's to read.
                if body.contains(&b'\\') {
                    return None;
                }
                out.push(Token::Str(std::str::from_utf8(body).ok()?.to_string()));
                end + 2
            }
            (b'0'..=b'9', _) => {
                let rest = bytes.get(i..)?;
                let len = rest
                    .iter()
                    .position(|c| !(c.is_ascii_digit() || *c == b'.'))
                    .unwrap_or(rest.len());
                let text = std::str::from_utf8(rest.get(..len)?).ok()?;
                // `1.` and `1.e3` are left to Rhai, so is `1..2`.
                if text.ends_with('.') || text.matches('.').count() > 1 {
                    return None;
                }
                if text.contains('.') {
                    out.push(Token::Float(text.parse().ok()?));
                } else {
                    out.push(Token::Int(text.parse().ok()?));
                }
                // A number glued to a letter (`1e3`, `0x1f`, `1_000`) is Rhai's.
                if rest
                    .get(len)
                    .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_')
                {
                    return None;
                }
                len
            }
            (b'a'..=b'z' | b'A'..=b'Z' | b'_', _) => {
                let rest = bytes.get(i..)?;
                let len = rest
                    .iter()
                    .position(|c| !(c.is_ascii_alphanumeric() || *c == b'_'))
                    .unwrap_or(rest.len());
                let word = std::str::from_utf8(rest.get(..len)?).ok()?;
                out.push(Token::Ident(word.to_string()));
                len
            }
            _ => return None,
        };
        i += step;
    }
    Some(out)
}

struct Parser {
    tokens: Vec<Token>,
    at: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.at)
    }

    fn next(&mut self) -> Option<Token> {
        let token = self.tokens.get(self.at).cloned();
        self.at += 1;
        token
    }

    fn eat(&mut self, token: &Token) -> bool {
        if self.peek() == Some(token) {
            self.at += 1;
            true
        } else {
            false
        }
    }

    fn or(&mut self) -> Option<Expr> {
        let mut left = self.and()?;
        while self.eat(&Token::Or) {
            left = Expr::Or(Box::new(left), Box::new(self.and()?));
        }
        Some(left)
    }

    fn and(&mut self) -> Option<Expr> {
        let mut left = self.compare()?;
        while self.eat(&Token::And) {
            left = Expr::And(Box::new(left), Box::new(self.compare()?));
        }
        Some(left)
    }

    /// One comparison at most: `a == b == c` is Rhai's.
    fn compare(&mut self) -> Option<Expr> {
        let left = self.unary()?;
        match self.peek() {
            Some(Token::Op(op)) => {
                let op = *op;
                self.at += 1;
                let right = self.unary()?;
                Some(Expr::Compare(op, Box::new(left), Box::new(right)))
            }
            Some(Token::Ident(word)) if word == "in" => {
                self.at += 1;
                Some(Expr::In(Box::new(left), self.list()?))
            }
            _ => Some(left),
        }
    }

    /// `!` binds tighter than comparisons, as in Rhai.
    fn unary(&mut self) -> Option<Expr> {
        if self.eat(&Token::Not) {
            return Some(Expr::Not(Box::new(self.unary()?)));
        }
        self.primary()
    }

    fn primary(&mut self) -> Option<Expr> {
        match self.peek()? {
            Token::Open if self.tokens.get(self.at + 1) != Some(&Token::Close) => {
                self.at += 1;
                // `(ticket.a?.b ?? literal)`: `??` only alone in brackets,
                // where its precedence cannot matter.
                let start = self.at;
                if let Some(field) = self.field() {
                    if self.eat(&Token::Coalesce) {
                        let fallback = self.literal()?;
                        return self
                            .eat(&Token::Close)
                            .then(|| Expr::Default(Box::new(field), fallback));
                    }
                }
                self.at = start;
                let inner = self.or()?;
                self.eat(&Token::Close).then_some(inner)
            }
            Token::Ident(word) if word == "ticket" => self.field(),
            Token::Ident(word) if word == "severity" => {
                self.at += 1;
                Some(Expr::Severity)
            }
            _ => self.literal().map(Expr::Literal),
        }
    }

    fn field(&mut self) -> Option<Expr> {
        if self.next()? != Token::Ident("ticket".into()) {
            return None;
        }
        let mut names = Vec::new();
        let mut elvis = Vec::new();
        loop {
            let step = match self.peek() {
                Some(Token::Dot) => false,
                Some(Token::Elvis) => true,
                _ => break,
            };
            self.at += 1;
            match self.next()? {
                Token::Ident(name) => names.push(name),
                _ => return None,
            }
            elvis.push(step);
        }
        // A call (`ticket.events.len()`) or an index is Rhai's.
        if matches!(self.peek(), Some(Token::Open | Token::OpenList)) {
            return None;
        }
        let path: Vec<&str> = names.iter().map(String::as_str).collect();
        Some(Expr::Field(Field::resolve(&path)?, elvis))
    }

    fn literal(&mut self) -> Option<Literal> {
        Some(match self.next()? {
            Token::Str(s) => Literal::Str(s),
            Token::Int(i) => Literal::Int(i),
            Token::Float(f) => Literal::Float(f),
            Token::Minus => match self.next()? {
                Token::Int(i) => Literal::Int(i.checked_neg()?),
                Token::Float(f) => Literal::Float(-f),
                _ => return None,
            },
            Token::Ident(word) if word == "true" => Literal::Bool(true),
            Token::Ident(word) if word == "false" => Literal::Bool(false),
            Token::Open if self.eat(&Token::Close) => Literal::Unit,
            _ => return None,
        })
    }

    fn list(&mut self) -> Option<Vec<Literal>> {
        if !self.eat(&Token::OpenList) {
            return None;
        }
        let mut items = Vec::new();
        while !self.eat(&Token::CloseList) {
            items.push(self.literal()?);
            if !self.eat(&Token::Comma) && self.peek() != Some(&Token::CloseList) {
                return None;
            }
        }
        Some(items)
    }
}

/// Rhai's `==` on two scalars.
fn equal(a: Value<'_>, b: Value<'_>) -> Result<bool, AskRhai> {
    Ok(match (a, b) {
        (Value::Other, _) | (_, Value::Other) => return Err(AskRhai),
        (Value::Unit, Value::Unit) => true,
        (Value::Str(x), Value::Str(y)) => x == y,
        (Value::Int(x), Value::Int(y)) => x == y,
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::Float(x), Value::Float(y)) => x == y,
        (Value::Int(x), Value::Float(y)) | (Value::Float(y), Value::Int(x)) => (x as f64) == y,
        _ => false,
    })
}

/// Rhai's ordering of two scalars: `None` when every ordering operator is
/// false (values of different types, or NaN).
fn order(a: Value<'_>, b: Value<'_>) -> Result<Option<std::cmp::Ordering>, AskRhai> {
    Ok(match (a, b) {
        (Value::Other, _) | (_, Value::Other) => return Err(AskRhai),
        (Value::Str(x), Value::Str(y)) => Some(x.cmp(y)),
        (Value::Int(x), Value::Int(y)) => Some(x.cmp(&y)),
        (Value::Float(x), Value::Float(y)) => x.partial_cmp(&y),
        (Value::Int(x), Value::Float(y)) => (x as f64).partial_cmp(&y),
        (Value::Float(x), Value::Int(y)) => x.partial_cmp(&(y as f64)),
        // Two booleans or two units: Rhai's to say.
        (Value::Bool(_), Value::Bool(_)) | (Value::Unit, Value::Unit) => return Err(AskRhai),
        _ => None,
    })
}

impl Native {
    /// Compiles `source` natively, or `None` when it is Rhai's to evaluate.
    pub fn compile(source: &str) -> Option<Native> {
        let mut parser = Parser {
            tokens: tokens(source)?,
            at: 0,
        };
        let expr = parser.or()?;
        (parser.at == parser.tokens.len()).then_some(Native(expr))
    }

    /// The condition's value for `ticket` at `severity`.
    pub fn evaluate<'a>(
        &'a self,
        ticket: &'a Ticket,
        severity: &'a str,
    ) -> Result<Value<'a>, AskRhai> {
        eval(&self.0, ticket, severity)
    }
}

fn eval<'a>(expr: &'a Expr, ticket: &'a Ticket, severity: &'a str) -> Result<Value<'a>, AskRhai> {
    let truth = |e: &'a Expr| match eval(e, ticket, severity)? {
        Value::Bool(b) => Ok(b),
        _ => Err(AskRhai),
    };
    Ok(match expr {
        Expr::Literal(literal) => literal.value(),
        Expr::Severity => Value::Str(severity),
        Expr::Field(field, elvis) => match field.read(ticket) {
            Read::Value(value) => value,
            // `?.` into the absent parent gives `()`; `.` is Rhai's error.
            Read::NoParent if elvis.get(1).copied().unwrap_or(false) => Value::Unit,
            Read::NoParent => return Err(AskRhai),
        },
        Expr::Default(inner, fallback) => match eval(inner, ticket, severity)? {
            Value::Unit => fallback.value(),
            value => value,
        },
        Expr::Not(inner) => Value::Bool(!truth(inner)?),
        Expr::And(a, b) => Value::Bool(truth(a)? && truth(b)?),
        Expr::Or(a, b) => Value::Bool(truth(a)? || truth(b)?),
        Expr::Compare(op, a, b) => {
            let (a, b) = (eval(a, ticket, severity)?, eval(b, ticket, severity)?);
            Value::Bool(match op {
                Op::Eq => equal(a, b)?,
                Op::Ne => !equal(a, b)?,
                Op::Lt => order(a, b)?.is_some_and(|o| o.is_lt()),
                Op::Le => order(a, b)?.is_some_and(|o| o.is_le()),
                Op::Gt => order(a, b)?.is_some_and(|o| o.is_gt()),
                Op::Ge => order(a, b)?.is_some_and(|o| o.is_ge()),
            })
        }
        Expr::In(needle, list) => {
            let needle = eval(needle, ticket, severity)?;
            let mut found = false;
            for item in list {
                if equal(needle, item.value())? {
                    found = true;
                    break;
                }
            }
            Value::Bool(found)
        }
    })
}

#[cfg(test)]
mod tests;
