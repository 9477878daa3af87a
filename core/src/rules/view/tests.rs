//! The view reads every value exactly as the ticket's object map did.

use super::TicketView;
use crate::rules::new_engine;
use crate::ticket::Ticket;
use rhai::{Dynamic, Engine, Scope};
use std::sync::Arc;

/// Every ticket of the example packs, plus one with attributes of every
/// JSON shape.
fn tickets() -> Vec<Ticket> {
    let mut texts: Vec<String> = ["hot_water_meter", "online_retail", "smart_home"]
        .iter()
        .flat_map(|pack| {
            let path = format!(
                "{}/../examples/tickets/{pack}.jsonl",
                env!("CARGO_MANIFEST_DIR")
            );
            std::fs::read_to_string(path)
                .unwrap()
                .lines()
                .filter(|l| !l.trim().is_empty())
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .collect();
    texts.push(
        r#"{"id":"SHAPES","opened_at":"2028-02-29T23:59:59+08:00",
            "attributes":{"null":null,"flag":true,"int":-7,"big":18446744073709551615,
              "float":2.5,"text":"x","list":[1,{"a":2}],
              "object":{"inner":{"deep":"yes"},"n":3}},
            "product":{"category":"household","purchased_on":"2027-12-31"},
            "events":[{"at":"2028-02-29T23:59:59+08:00","kind":"contacted"}]}"#
            .to_string(),
    );
    texts
        .iter()
        .map(|t| Ticket::from_json(t).unwrap())
        .collect()
}

/// A result made comparable: an object becomes the map it views.
fn plain(value: Dynamic) -> String {
    match value.clone().try_cast::<TicketView>() {
        Some(view) => format!("map {:?}", Dynamic::from_map(view.to_map().unwrap())),
        None => format!("{} {value:?}", value.type_name()),
    }
}

fn eval(engine: &Engine, ticket: Dynamic, expression: &str) -> String {
    let mut scope = Scope::new();
    scope.push_constant("ticket", ticket);
    match engine.eval_with_scope::<Dynamic>(&mut scope, expression) {
        Ok(value) => plain(value),
        Err(e) => format!("error {}", e.to_string().split(" (").next().unwrap_or("")),
    }
}

/// Every path to every value of the ticket's JSON shape, as Rhai
/// index chains (`ticket["product"]["category"]`) and property chains.
fn paths(value: &serde_json::Value, prefix: &str, out: &mut Vec<String>) {
    out.push(prefix.to_string());
    if let serde_json::Value::Object(map) = value {
        for (key, inner) in map {
            paths(inner, &format!("{prefix}[{key:?}]"), out);
        }
    }
}

#[test]
fn every_field_reads_as_in_the_object_map() {
    let engine = new_engine(crate::rules::limits::OPERATIONS);
    let mut checked = 0;
    for ticket in tickets() {
        let map = rhai::serde::to_dynamic(&ticket).unwrap();
        let view = Dynamic::from(TicketView::new(Arc::new(ticket.clone())));
        let mut expressions = Vec::new();
        paths(
            &serde_json::to_value(&ticket).unwrap(),
            "ticket",
            &mut expressions,
        );
        for extra in [
            "ticket.id",
            "ticket.kind",
            "ticket.channel",
            "ticket.opened_at",
            "ticket.product?.category ?? \"household\"",
            "ticket.product?.purchased_on",
            "ticket.customer?.tier",
            "ticket[\"customer\"]?[\"zone\"]",
            "ticket.fault?.code ?? \"\"",
            "ticket.fault?.complexity",
            "ticket.events.len()",
            "ticket.events.map(|e| e.kind)",
            "ticket.work?.parts",
            "ticket.attributes.keys()",
            "ticket.attributes.values()",
            "ticket.attributes.len()",
            "\"text\" in ticket.attributes",
            "\"nothing\" in ticket.attributes",
            "\"null\" in ticket.attributes",
            "ticket.attributes.object.inner.deep",
            "ticket.attributes.list[1].a",
            "ticket.attributes.nothing",
            "ticket.nothing",
            "ticket.product?.nothing",
            "ticket.survey?.nps",
            "ticket.keys()",
            "ticket.to_json()",
            "`${ticket.product}`",
            "ticket.customer == ()",
            "ticket.attributes.get(\"int\")",
        ] {
            expressions.push(extra.to_string());
        }
        for expression in &expressions {
            let expected = eval(&engine, map.clone(), expression);
            let actual = eval(&engine, view.clone(), expression);
            assert_eq!(actual, expected, "ticket {}: `{expression}`", ticket.id);
            checked += 1;
        }
    }
    // 66 tickets, each with at least the 30 expressions above.
    assert!(checked > 66 * 30, "{checked}");
}

#[test]
fn rules_cannot_change_the_ticket() {
    let engine = new_engine(crate::rules::limits::OPERATIONS);
    let ticket = Ticket::from_json(
        r#"{"id":"T","opened_at":"2026-03-02T00:00:00Z","channel":"hotline","attributes":{"a":{"b":1}}}"#,
    )
    .unwrap();
    let view = Dynamic::from(TicketView::new(Arc::new(ticket)));
    for meddle in [
        "ticket.channel = \"changed\"; ticket.channel",
        "let t = ticket; t.channel = \"changed\"; t.channel",
        "ticket.attributes.a.b = 2; ticket.attributes.a.b",
    ] {
        // Refused or without effect: what the next rule reads is the ticket.
        let _ = eval(&engine, view.clone(), meddle);
    }
    assert_eq!(
        eval(&engine, view.clone(), "ticket.channel"),
        "string \"hotline\""
    );
    assert_eq!(eval(&engine, view, "ticket.attributes.a.b"), "i64 1");
}

#[test]
fn every_field_of_the_typed_shape_has_a_getter() {
    let names = super::field_names();
    for name in [
        "id",
        "opened_at",
        "kind",
        "channel",
        "customer",
        "tier",
        "product",
        "category",
        "purchased_on",
        "fault",
        "code",
        "complexity",
        "work",
        "parts",
        "survey",
        "nps",
        "events",
        "attributes",
        "order",
    ] {
        assert!(names.contains(&name), "{name} in {names:?}");
    }
    // Attribute keys are the policy's own: read through the indexer.
    assert!(!names.contains(&"site"));
}
