//! What the staff layout's header shows for a signed-in user: the pages their roles open,
//! their name, and the token the header's sign-out sends back.

use minijinja::{context, Value};
use serde::Serialize;

use super::session::StaffSession;
use crate::app::admin::ADMIN_ROLES;
use crate::app::kpi::REPORT_ROLES;
use crate::app::plan::PLANNER_ROLES;
use crate::domain::booking::Language;

/// One of the staff pages in the header's nav.
#[derive(Debug, Serialize, PartialEq, Eq)]
pub struct NavItem {
    pub id: &'static str,
    pub href: String,
    /// The catalogue's key for its name.
    pub label: &'static str,
}

/// The pages `session`'s roles open, in the order of a working day; the call displays
/// by way of their chooser, since each place has its own.
pub fn nav(session: &StaffSession, lang: Language) -> Vec<NavItem> {
    let code = lang.code();
    let mut items = vec![
        NavItem {
            id: "console",
            href: format!("/staff?lang={code}"),
            label: "staff.nav_console",
        },
        NavItem {
            id: "display",
            href: format!("/staff/displays?lang={code}"),
            label: "staff.nav_display",
        },
    ];
    if session.user.has_any_role(PLANNER_ROLES) {
        items.push(NavItem {
            id: "planner",
            href: format!("/staff/planner?lang={code}"),
            label: "staff.nav_planner",
        });
    }
    if session.user.has_any_role(REPORT_ROLES) {
        items.push(NavItem {
            id: "dashboard",
            href: format!("/staff/dashboard?lang={code}"),
            label: "staff.nav_dashboard",
        });
    }
    if session.user.has_any_role(ADMIN_ROLES) {
        items.push(NavItem {
            id: "admin",
            href: format!("/staff/admin?lang={code}"),
            label: "staff.nav_admin",
        });
    }
    items
}

/// The layout's `staff` value: pass it with `page` (the nav item's id) to a page that
/// extends `staff.html`.
pub fn chrome(session: &StaffSession, lang: Language) -> Value {
    context! {
        name => session.user.display_name.clone(),
        csrf_token => session.csrf_token.clone(),
        nav => nav(session, lang),
    }
}
