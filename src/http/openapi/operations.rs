//! Operation ids, and the links from each answer that names something to the operations on it.

use utoipa::openapi::link::LinkBuilder;
use utoipa::openapi::path::{Operation, PathItem};
use utoipa::openapi::RefOr;
use utoipa::Modify;

/// The operations of a path, by method.
pub(super) fn operations_of(item: &mut PathItem) -> [(&'static str, &mut Option<Operation>); 5] {
    [
        ("get", &mut item.get),
        ("put", &mut item.put),
        ("post", &mut item.post),
        ("delete", &mut item.delete),
        ("patch", &mut item.patch),
    ]
}

/// An operation's id, from its method and path: unique, where the handlers' names are not
/// (`show`, `claim`, `login` serve the API and the pages alike).
pub fn operation_id(method: &str, path: &str) -> String {
    let words: Vec<String> = path
        .split('/')
        .filter(|w| !w.is_empty())
        .map(|w| {
            w.trim_matches(|c| c == '{' || c == '}')
                .replace(['-', '.'], "_")
        })
        .collect();
    if words.is_empty() {
        format!("{method}_index")
    } else {
        format!("{method}_{}", words.join("_"))
    }
}

pub(super) struct OperationIds;

impl Modify for OperationIds {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        for (path, item) in openapi.paths.paths.iter_mut() {
            for (method, operation) in operations_of(item) {
                if let Some(operation) = operation {
                    operation.operation_id = Some(operation_id(method, path));
                }
            }
        }
    }
}

/// Where the identifiers in an answer lead: (method, path, status) of the answer, then the
/// operations it opens, each with where its parameters come from.
type Follow = (
    (&'static str, &'static str, &'static str),
    &'static [(&'static str, &'static str)],
    &'static [(&'static str, &'static str)],
);

const BY_REFERENCE_AND_TOKEN: &[(&str, &str)] = &[
    ("reference", "$response.body#/reference"),
    ("token", "$response.body#/token"),
];
const BY_TICKET_ID: &[(&str, &str)] = &[("id", "$response.body#/id")];
const A_BOOKING: &[(&str, &str)] = &[
    ("get", "/api/v1/appointments/{reference}"),
    ("delete", "/api/v1/appointments/{reference}"),
    ("post", "/api/v1/appointments/{reference}/reschedule"),
    ("get", "/api/v1/appointments/{reference}/calendar.ics"),
    ("post", "/api/v1/appointments/{reference}/check-in"),
    ("get", "/appointments/{reference}"),
    ("get", "/appointments/{reference}/move"),
];
const A_TICKET: &[(&str, &str)] = &[("get", "/api/v1/tickets/{id}"), ("get", "/tickets/{id}")];
const A_CALLED_TICKET: &[(&str, &str)] = &[
    ("post", "/api/v1/tickets/{id}/recall"),
    ("post", "/api/v1/tickets/{id}/start"),
    ("post", "/api/v1/tickets/{id}/no-show"),
    ("post", "/api/v1/tickets/{id}/undo"),
    ("post", "/api/v1/tickets/{id}/call"),
    ("post", "/api/v1/tickets/{id}/park"),
    ("post", "/api/v1/tickets/{id}/return"),
    ("post", "/api/v1/tickets/{id}/finish"),
    ("post", "/api/v1/tickets/{id}/transfer"),
];

const FOLLOWS: &[Follow] = &[
    (
        ("post", "/api/v1/appointments", "201"),
        A_BOOKING,
        BY_REFERENCE_AND_TOKEN,
    ),
    (
        ("post", "/api/v1/waitlist/{reference}/claim", "201"),
        A_BOOKING,
        BY_REFERENCE_AND_TOKEN,
    ),
    (("post", "/api/v1/tickets", "201"), A_TICKET, BY_TICKET_ID),
    (
        ("post", "/api/v1/tickets", "201"),
        A_CALLED_TICKET,
        BY_TICKET_ID,
    ),
    (
        ("post", "/api/v1/appointments/{reference}/check-in", "201"),
        A_TICKET,
        BY_TICKET_ID,
    ),
    (
        ("post", "/api/v1/desks/{desk}/call-next", "200"),
        A_CALLED_TICKET,
        BY_TICKET_ID,
    ),
    (
        ("post", "/api/v1/waitlist", "201"),
        &[
            ("delete", "/api/v1/waitlist/{reference}"),
            ("get", "/api/v1/waitlist/{reference}/offer"),
            ("post", "/api/v1/waitlist/{reference}/claim"),
            ("get", "/waitlist/{reference}/offer"),
            ("get", "/waitlist/{reference}/leave"),
        ],
        BY_REFERENCE_AND_TOKEN,
    ),
    (
        ("post", "/api/v1/rosters", "201"),
        &[
            ("get", "/api/v1/rosters/{id}"),
            ("post", "/api/v1/rosters/{id}/publish"),
            ("get", "/api/v1/rosters/{id}/publish-preview"),
            ("post", "/api/v1/rosters/{id}/withdraw"),
        ],
        BY_TICKET_ID,
    ),
];

/// OpenAPI links from each answer that names something to the operations on it, so that a
/// client, or a fuzzer's stateful phase, can follow them.
pub(super) struct Links;

impl Modify for Links {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        for ((method, path, status), targets, parameters) in FOLLOWS {
            let response = openapi
                .paths
                .paths
                .get_mut(*path)
                .and_then(|item| {
                    operations_of(item)
                        .into_iter()
                        .find(|(m, _)| m == method)
                        .and_then(|(_, operation)| operation.as_mut())
                })
                .and_then(|operation| operation.responses.responses.get_mut(*status));
            let Some(RefOr::T(response)) = response else {
                panic!("{method} {path} {status} is not described, yet links lead from it");
            };
            for (to_method, to_path) in *targets {
                let id = operation_id(to_method, to_path);
                let link = parameters
                    .iter()
                    .filter(|(name, _)| {
                        to_path.contains(&format!("{{{name}}}")) || *name == "token"
                    })
                    .fold(
                        LinkBuilder::new().operation_id(&id),
                        |link, (name, value)| link.parameter(*name, *value),
                    );
                response.links.insert(id, RefOr::T(link.build()));
            }
        }
    }
}
