//! The OpenAPI description against the server it describes: every route in it, every
//! error a problem, and credentials exactly where it says.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::helpers::spawn_app;

const METHODS: [&str; 5] = ["get", "put", "post", "delete", "patch"];

/// Every (METHOD, path) that `http::configure` registers, read from its source. Both ways
/// of writing a route count: `.route("/path", web::get().to(h))`, and `.route(get().to(h))`
/// after `resource("/path")`; the routes of a scope get the scope's prefix.
fn registered_routes() -> BTreeSet<(String, String)> {
    let source =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/src/http/mod.rs")).unwrap();
    let start = source
        .find("pub fn configure(")
        .expect("configure in src/http/mod.rs");
    let body = &source[start..];
    let body = &body[..body.find("\n}\n").expect("the end of configure")];
    let scopes: Vec<(usize, usize, String)> = body
        .match_indices("web::scope(")
        .map(|(at, found)| {
            let prefix = string_at(body, at + found.len());
            let open = body[..at].rfind(".service(").expect("a scope is a service") + 8;
            (open, closing_paren(body, open), prefix)
        })
        .collect();
    let routes: BTreeSet<(String, String)> = body
        .match_indices(".route(")
        .map(|(at, found)| {
            let after = body[at + found.len()..].trim_start();
            let (path, rest) = if after.starts_with('"') {
                let path = string_at(after, 0);
                (path, &after[after.find(',').unwrap() + 1..])
            } else {
                let resource = body[..at]
                    .rfind("resource(")
                    .expect("a route without a path follows its resource");
                (string_at(body, resource + "resource(".len()), after)
            };
            let rest = rest.trim_start();
            let method = rest.strip_prefix("web::").unwrap_or(rest);
            let method = method[..method.find('(').unwrap()].to_owned();
            let prefix: String = scopes
                .iter()
                .filter(|(open, close, _)| (*open..*close).contains(&at))
                .map(|(_, _, prefix)| prefix.as_str())
                .collect();
            (method, format!("{prefix}{path}"))
        })
        .collect();
    assert_eq!(
        body.matches(".to(").count(),
        routes.len(),
        "every handler configure hooks up is a route this reader sees"
    );
    routes
}

/// The string literal that starts at `at` (its opening quote, after whitespace).
fn string_at(text: &str, at: usize) -> String {
    let rest = text[at..].trim_start();
    let rest = rest.strip_prefix('"').expect("a string literal");
    rest[..rest.find('"').unwrap()].to_owned()
}

/// Where the parenthesis opened at `open` closes.
fn closing_paren(text: &str, open: usize) -> usize {
    let mut depth = 0;
    for (i, c) in text[open..].char_indices() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    return open + i;
                }
            }
            _ => {}
        }
    }
    panic!("unbalanced parentheses in configure")
}

pub fn operations(doc: &Value) -> Vec<(String, String, &Value)> {
    let mut out = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in METHODS {
            if let Some(op) = item.get(method) {
                out.push((method.to_owned(), path.clone(), op));
            }
        }
    }
    out
}

#[test]
fn the_route_reader_sees_routes_and_scopes() {
    let routes = registered_routes();
    for route in [("get", "/health"), ("post", "/api/v1/auth/login")] {
        assert!(
            routes.contains(&(route.0.to_owned(), route.1.to_owned())),
            "{route:?} in {routes:?}"
        );
    }
    assert!(!routes.contains(&("post".to_owned(), "/auth/login".to_owned())));
}

#[tokio::test]
async fn the_description_has_every_route_of_the_server_and_no_other() {
    let app = spawn_app().await;
    let doc = app.get_json("/api/openapi.json").await;
    let described: BTreeSet<(String, String)> = operations(&doc)
        .into_iter()
        .map(|(method, path, _)| (method, path))
        .collect();
    let registered = registered_routes();
    let undescribed: Vec<_> = registered.difference(&described).collect();
    let unserved: Vec<_> = described.difference(&registered).collect();
    assert!(
        undescribed.is_empty() && unserved.is_empty(),
        "routes without a description: {undescribed:?}\ndescribed but not served: {unserved:?}"
    );
}

#[tokio::test]
async fn every_error_answer_is_described_as_a_problem() {
    let app = spawn_app().await;
    let doc = app.get_json("/api/openapi.json").await;
    let problem = &doc["components"]["schemas"]["Problem"];
    for field in ["type", "title", "status", "detail"] {
        assert!(
            problem["required"]
                .as_array()
                .unwrap()
                .contains(&field.into()),
            "{field}"
        );
    }
    assert_eq!(
        problem["properties"]["errors"]["items"]["$ref"],
        "#/components/schemas/FieldError"
    );
    for (method, path, op) in operations(&doc) {
        for (status, response) in op["responses"].as_object().unwrap() {
            if status.as_str() < "400" {
                continue;
            }
            let content = response["content"].as_object().unwrap();
            // A page may show its form again with the reason, as a page.
            let page = op["tags"][0] == "pages";
            assert!(
                content
                    .keys()
                    .all(|k| k == "application/problem+json" || page && k == "text/html"),
                "{method} {path} {status}: {content:?}"
            );
            if let Some(problem) = content.get("application/problem+json") {
                assert_eq!(
                    problem["schema"]["$ref"], "#/components/schemas/Problem",
                    "{method} {path} {status}"
                );
            }
        }
        // Control characters are refused before any handler, with a problem document, even on
        // a page that answers its own 404 or 422 as a page.
        let path_parameter = op["parameters"]
            .as_array()
            .is_some_and(|ps| ps.iter().any(|p| p["in"] == "path"));
        let refused_early = [
            ("404", path_parameter),
            ("422", op.get("requestBody").is_some()),
        ];
        for (status, applies) in refused_early {
            if applies {
                assert!(
                    op["responses"][status]["content"]
                        .get("application/problem+json")
                        .is_some(),
                    "{method} {path} {status} may be a problem document"
                );
            }
        }
        let has_input = op.get("parameters").is_some() || op.get("requestBody").is_some();
        assert_eq!(
            op["responses"].get("400").is_some(),
            has_input,
            "{method} {path}: a 400 exactly where there is input to be malformed"
        );
    }
}

/// A value for each of the operation's path parameters: its example, or `1`.
pub fn fill_path(path: &str, op: &Value) -> String {
    let mut filled = path.to_owned();
    for p in op["parameters"].as_array().into_iter().flatten() {
        if p["in"] == "path" {
            let name = p["name"].as_str().unwrap();
            let value = match &p["example"] {
                Value::String(s) => s.clone(),
                Value::Null => "1".to_owned(),
                other => other.to_string(),
            };
            filled = filled.replace(&format!("{{{name}}}"), &value);
        }
    }
    filled
}

#[tokio::test]
async fn credentials_are_needed_exactly_where_the_description_says() {
    let app = spawn_app().await;
    let doc = app.get_json("/api/openapi.json").await;
    let schemes = doc["components"]["securitySchemes"].as_object().unwrap();
    assert_eq!(schemes["bearer"]["scheme"], "bearer");
    assert_eq!(schemes["session"]["in"], "cookie");
    assert_eq!(schemes["session"]["name"], "skranke_session");
    assert_eq!(schemes["csrf"]["in"], "header");
    let anonymous = reqwest::Client::new();
    let mut checked = 0;
    for (method, path, op) in operations(&doc) {
        if path.ends_with("/events") {
            // A stream that is found answers for as long as it is read.
            continue;
        }
        let security = op["security"].as_array().cloned().unwrap_or_default();
        for requirement in &security {
            for scheme in requirement.as_object().unwrap().keys() {
                assert!(schemes.contains_key(scheme), "{method} {path}: {scheme}");
            }
        }
        // An empty requirement makes credentials optional (`/metrics` without a token set).
        let required = !security.is_empty()
            && !security
                .iter()
                .any(|r| r.as_object().is_some_and(|r| r.is_empty()));
        let url = app.url(&fill_path(&path, op));
        let request = match method.as_str() {
            "get" => anonymous.get(&url),
            "post" => anonymous.post(&url).json(&serde_json::json!({})),
            "put" => anonymous.put(&url).json(&serde_json::json!({})),
            "delete" => anonymous.delete(&url),
            other => panic!("{other} is not used"),
        };
        let status = request.send().await.unwrap().status();
        assert_eq!(
            status == 401,
            required,
            "{method} {path} answered {status} without credentials"
        );
        if required {
            checked += 1;
            assert!(op["responses"].get("401").is_some(), "{method} {path}");
        }
    }
    assert!(checked >= 20, "only {checked} operations need credentials");
}

#[tokio::test]
async fn operation_ids_are_unique_and_every_link_leads_to_an_operation_with_its_parameters() {
    let app = spawn_app().await;
    let doc = app.get_json("/api/openapi.json").await;
    let ops = operations(&doc);
    let mut ids = BTreeSet::new();
    for (method, path, op) in &ops {
        let id = op["operationId"].as_str().unwrap();
        assert!(ids.insert(id), "{method} {path}: {id} twice");
    }
    let mut links = 0;
    for (method, path, op) in &ops {
        for response in op["responses"].as_object().unwrap().values() {
            for (name, link) in response["links"].as_object().into_iter().flatten() {
                links += 1;
                let target = link["operationId"].as_str().unwrap();
                let (_, _, to) = ops
                    .iter()
                    .find(|(_, _, op)| op["operationId"] == target)
                    .unwrap_or_else(|| panic!("{method} {path}: {name} leads nowhere"));
                let names: Vec<&str> = to["parameters"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|p| p["name"].as_str().unwrap())
                    .collect();
                for parameter in link["parameters"].as_object().unwrap().keys() {
                    assert!(
                        names.contains(&parameter.as_str()),
                        "{method} {path}: {name} gives {target} a {parameter} it does not take"
                    );
                }
            }
        }
    }
    let booking = &doc["paths"]["/api/v1/appointments"]["post"]["responses"]["201"]["links"];
    assert_eq!(
        booking["delete_api_v1_appointments_reference"]["parameters"]["token"],
        "$response.body#/token"
    );
    assert!(links >= 30, "{links} links");
}
