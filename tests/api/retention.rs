//! Retention: citizens' names, e-mails and phones go after the period; statistics stay.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde_json::json;
use skranke::domain::visit::{Need, NeedKind};
use skranke::store::schema::{
    appointment_needs, appointments, outbox, ticket_needs, tickets, visit_feedback,
};

use crate::helpers::{spawn_app, TestApp};
use crate::known_day::{self, DAY};
use crate::kpi::kpi_json;

type Personal = (String, Option<String>, Option<String>, Option<String>);

fn personal_data(app: &TestApp) -> Vec<Personal> {
    appointments::table
        .select((
            appointments::reference,
            appointments::citizen_name,
            appointments::citizen_email,
            appointments::citizen_phone,
        ))
        .load(&mut *app.pool.get().unwrap())
        .unwrap()
}

#[tokio::test]
async fn personal_data_goes_after_the_period_and_the_kpis_stay() {
    let app = spawn_app().await;
    let day = known_day::build(&app).await;
    // A visit inside the period: booked on Monday for the end of June.
    app.clock.set("2027-03-29T06:00:00Z".parse().unwrap());
    let recent = app
        .client
        .post(app.url("/api/v1/appointments"))
        .json(&json!({
            "location": "raadhuset",
            "service": "pas",
            "start": "2027-06-28T10:00:00+02:00",
            "citizen": {"name": "Ny Borger", "email": "ny@example.org", "phone": "+45 87654321"},
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(recent.status(), 201);
    let recent: serde_json::Value = recent.json().await.unwrap();
    let recent = recent["reference"].as_str().unwrap().to_owned();

    // A finished visit of the known day was given feedback, with a comment naming people.
    let finished: String = tickets::table
        .filter(tickets::status.eq("finished"))
        .select(tickets::public_id)
        .first(&mut *app.pool.get().unwrap())
        .unwrap();
    app.clock.set("2027-03-30T12:00:00Z".parse().unwrap());
    let given = app
        .client
        .post(app.url(&format!("/api/v1/tickets/{finished}/feedback")))
        .json(&json!({"score": 4, "comment": "Tolken Ahmed var god, tak til Mette"}))
        .send()
        .await
        .unwrap();
    assert_eq!(given.status(), 201);

    // 90 days after the known day has ended, and two days after the June visit.
    let now: DateTime<Utc> = "2027-06-30T12:00:00Z".parse().unwrap();
    app.clock.set(now);
    let admin = app.login("admin").await;
    let query = format!("from={DAY}&to=2027-06-30");
    let before = kpi_json(&app, &admin, &query).await;

    // Every visit stated a need: an interpreter, and the language, which says much of a person.
    {
        let mut conn = app.pool.get().unwrap();
        let ids: Vec<i64> = appointments::table
            .select(appointments::id)
            .load(&mut *conn)
            .unwrap();
        let interpreter = Need {
            kind: NeedKind::Interpreter,
            detail: Some("arabisk".into()),
        };
        for id in ids {
            skranke::store::needs::state(&mut conn, id, std::slice::from_ref(&interpreter))
                .unwrap();
        }
        // And so did every citizen at the door.
        let issued: Vec<i64> = tickets::table.select(tickets::id).load(&mut *conn).unwrap();
        for id in issued {
            skranke::store::ticket_visits::record(
                &mut conn,
                skranke::domain::queue::TicketId(id),
                &[],
                std::slice::from_ref(&interpreter),
            )
            .unwrap();
        }
    }
    let door_needs = || -> i64 {
        ticket_needs::table
            .count()
            .get_result(&mut *app.pool.get().unwrap())
            .unwrap()
    };
    let stated_at_the_door = usize::try_from(door_needs()).unwrap();
    assert!(stated_at_the_door > 0);

    // Errors from before errors were redacted quote the address; one mail was given up.
    {
        let mut conn = app.pool.get().unwrap();
        let old = || {
            appointments::table
                .filter(appointments::reference.ne(&recent))
                .select(appointments::id)
        };
        diesel::update(outbox::table.filter(outbox::owner_id.eq_any(old())))
            .set(outbox::last_error.eq("permanent error (550): 5.1.1 <en@example.org>"))
            .execute(&mut *conn)
            .unwrap();
        let first: i64 = outbox::table
            .filter(outbox::owner_id.eq_any(old()))
            .filter(outbox::dropped_at.is_null())
            .order(outbox::id)
            .select(outbox::id)
            .first(&mut *conn)
            .unwrap();
        diesel::update(outbox::table.find(first))
            .set(outbox::dropped_at.eq(Some(now.naive_utc())))
            .execute(&mut *conn)
            .unwrap();
    }

    let swept = skranke::app::retention::sweep(&mut app.pool.get().unwrap(), 90, now).unwrap();
    assert_eq!(
        swept,
        vec![
            ("outbox", 7),
            ("appointments", 4),
            ("appointment_needs", 4),
            ("ticket_needs", stated_at_the_door),
            ("booking_submissions", 0),
            ("waitlist_entries", 0),
            ("waitlist_entry_needs", 0),
            ("visit_feedback", 1),
            ("login_failures", 0),
        ]
    );
    let feedback_left: Vec<(i32, Option<String>)> = visit_feedback::table
        .select((visit_feedback::score, visit_feedback::comment))
        .load(&mut *app.pool.get().unwrap())
        .unwrap();
    assert_eq!(
        feedback_left,
        [(4, None)],
        "the score stays, the comment goes"
    );

    assert_eq!(
        door_needs(),
        0,
        "the known day's tickets are past the period"
    );
    let needs_left: Vec<(String, Option<String>)> = appointment_needs::table
        .inner_join(appointments::table)
        .select((appointments::reference, appointment_needs::detail))
        .load(&mut *app.pool.get().unwrap())
        .unwrap();
    assert_eq!(
        needs_left,
        [(recent.clone(), Some("arabisk".to_owned()))],
        "only the visit inside the period keeps its need"
    );
    for (reference, name, email, phone) in personal_data(&app) {
        if reference == recent {
            assert_eq!(name.as_deref(), Some("Ny Borger"));
            assert_eq!(email.as_deref(), Some("ny@example.org"));
            assert_eq!(phone.as_deref(), Some("+45 87654321"));
        } else {
            assert!(day.references.contains(&reference));
            assert_eq!((name, email, phone), (None, None, None), "{reference}");
        }
    }
    let after = kpi_json(&app, &admin, &query).await;
    assert_eq!(before, after, "the statistics stay");
    assert_eq!(after["totals"]["appointments"], 5);

    // Mail queued for the blanked bookings never goes, and keeps no manage token.
    type Left = (
        Option<String>,
        Option<String>,
        Option<chrono::NaiveDateTime>,
    );
    let old = appointments::table
        .filter(appointments::reference.ne(&recent))
        .select(appointments::id);
    let left: Vec<Left> = outbox::table
        .filter(outbox::owner_kind.eq("appointment"))
        .filter(outbox::owner_id.eq_any(old))
        .select((outbox::secret, outbox::last_error, outbox::dropped_at))
        .load(&mut *app.pool.get().unwrap())
        .unwrap();
    assert!(!left.is_empty());
    assert!(
        left.iter()
            .all(|(token, error, dropped)| token.is_none() && error.is_none() && dropped.is_some()),
        "{left:?}"
    );
    let dir = tempfile::tempdir().unwrap();
    let mailer = skranke::app::mailer::Mailer::new(None, dir.path().to_owned()).unwrap();
    let delivered =
        skranke::app::outbox::deliver_due(&app.pool, &mailer, "http://skranke.test", now).unwrap();
    assert_eq!(delivered.sent, 1, "only the June booking's confirmation");
    for file in std::fs::read_dir(dir.path()).unwrap() {
        let text = std::fs::read_to_string(file.unwrap().path()).unwrap();
        assert!(text.contains("ny@example.org"));
        for gone in ["en@", "to@", "tre@", "fire@"] {
            assert!(!text.contains(&format!("{gone}example.org")), "{gone}");
        }
    }

    // A second sweep finds nothing more to do.
    let again = skranke::app::retention::sweep(&mut app.pool.get().unwrap(), 90, now).unwrap();
    assert!(again.iter().all(|(_, rows)| *rows == 0), "{again:?}");
}

/// Waitlist entries whose dates have passed lose the name and e-mail, and their unsent
/// mail goes nowhere; entries still ahead keep theirs.
#[tokio::test]
async fn waitlist_entries_past_the_period_are_blanked() {
    use skranke::store::schema::{locations, services, waitlist_entries, waitlist_entry_needs};

    let app = spawn_app().await;
    let mut conn = app.pool.get().unwrap();
    let location: i64 = locations::table
        .filter(locations::slug.eq("raadhuset"))
        .select(locations::id)
        .first(&mut *conn)
        .unwrap();
    let service: i64 = services::table
        .filter(services::slug.eq("pas"))
        .select(services::id)
        .first(&mut *conn)
        .unwrap();
    let joined = "2027-03-01T09:00:00"
        .parse::<chrono::NaiveDateTime>()
        .unwrap();
    let entry = |reference: &str, to: &str, name: &str| {
        (
            waitlist_entries::reference.eq(reference.to_owned()),
            waitlist_entries::token_hash.eq(format!("hash-{reference}")),
            waitlist_entries::location_id.eq(location),
            waitlist_entries::service_id.eq(service),
            waitlist_entries::from_date.eq("2027-03-29".parse::<chrono::NaiveDate>().unwrap()),
            waitlist_entries::to_date.eq(to.parse::<chrono::NaiveDate>().unwrap()),
            waitlist_entries::citizen_name.eq(Some(name.to_owned())),
            waitlist_entries::citizen_email.eq(Some(format!("{reference}@example.org"))),
            waitlist_entries::language.eq("da"),
            waitlist_entries::status.eq("waiting"),
            waitlist_entries::created_at.eq(joined),
            waitlist_entries::updated_at.eq(joined),
        )
    };
    diesel::insert_into(waitlist_entries::table)
        .values(entry("gammel", "2027-03-31", "Gammel Borger"))
        .execute(&mut *conn)
        .unwrap();
    diesel::insert_into(waitlist_entries::table)
        .values(entry("ny", "2027-06-30", "Ny Borger"))
        .execute(&mut *conn)
        .unwrap();
    let old: i64 = waitlist_entries::table
        .filter(waitlist_entries::reference.eq("gammel"))
        .select(waitlist_entries::id)
        .first(&mut *conn)
        .unwrap();
    let new: i64 = waitlist_entries::table
        .filter(waitlist_entries::reference.eq("ny"))
        .select(waitlist_entries::id)
        .first(&mut *conn)
        .unwrap();
    // Both stated that they need an interpreter: personal data like the name.
    for id in [old, new] {
        diesel::insert_into(waitlist_entry_needs::table)
            .values((
                waitlist_entry_needs::entry_id.eq(id),
                waitlist_entry_needs::kind.eq("interpreter"),
                waitlist_entry_needs::detail.eq(Some("arabisk")),
            ))
            .execute(&mut *conn)
            .unwrap();
    }
    let mail = (
        outbox::kind.eq("mail"),
        outbox::owner_kind.eq("waitlist_entry"),
        outbox::owner_id.eq(old),
        outbox::payload.eq("{}"),
        outbox::due_at.eq(joined),
        outbox::created_at.eq(joined),
    );
    diesel::insert_into(outbox::table)
        .values((
            mail,
            outbox::event.eq("joined"),
            outbox::secret.eq(Some("secret")),
            outbox::attempts.eq(0),
        ))
        .execute(&mut *conn)
        .unwrap();
    // An offer given up long ago, its error quoting the address (from before redaction).
    diesel::insert_into(outbox::table)
        .values((
            mail,
            outbox::event.eq("offer"),
            outbox::attempts.eq(1),
            outbox::last_error.eq(Some("permanent error (550): <gammel@example.org>")),
            outbox::dropped_at.eq(Some(joined)),
        ))
        .execute(&mut *conn)
        .unwrap();

    let now: DateTime<Utc> = "2027-06-30T12:00:00Z".parse().unwrap();
    let swept = skranke::app::retention::sweep(&mut conn, 90, now).unwrap();
    assert!(swept.contains(&("outbox", 1)), "{swept:?}");
    assert!(swept.contains(&("waitlist_entries", 1)), "{swept:?}");
    assert!(swept.contains(&("waitlist_entry_needs", 1)), "{swept:?}");
    let needs_left: Vec<i64> = waitlist_entry_needs::table
        .select(waitlist_entry_needs::entry_id)
        .load(&mut *conn)
        .unwrap();
    assert_eq!(
        needs_left,
        [new],
        "only the entry still ahead keeps its need"
    );

    let rows: Vec<(String, Option<String>, Option<String>)> = waitlist_entries::table
        .order(waitlist_entries::reference)
        .select((
            waitlist_entries::reference,
            waitlist_entries::citizen_name,
            waitlist_entries::citizen_email,
        ))
        .load(&mut *conn)
        .unwrap();
    assert_eq!(
        rows,
        vec![
            ("gammel".to_owned(), None, None),
            (
                "ny".to_owned(),
                Some("Ny Borger".to_owned()),
                Some("ny@example.org".to_owned())
            ),
        ]
    );
    type Mail = (
        Option<String>,
        Option<String>,
        Option<chrono::NaiveDateTime>,
    );
    let mails: Vec<Mail> = outbox::table
        .select((outbox::secret, outbox::last_error, outbox::dropped_at))
        .load(&mut *conn)
        .unwrap();
    assert_eq!(mails.len(), 2);
    for (token, error, dropped) in mails {
        assert_eq!((token, error), (None, None));
        assert!(dropped.is_some());
    }
}

/// A booking form answered keeps its booking's manage token (sealed) to answer the form
/// sent again; it goes with the visit's personal data after the period.
#[tokio::test]
async fn answered_booking_forms_go_after_the_period() {
    use skranke::app::booking::BookingRequest;
    use skranke::app::booking_once::book_once;
    use skranke::domain::booking::{Citizen, Language};
    use skranke::store::schema::booking_submissions;

    let app = spawn_app().await;
    let booked_at: DateTime<Utc> = "2027-03-30T08:30:00Z".parse().unwrap();
    let request = BookingRequest {
        location: "raadhuset".into(),
        visit: skranke::app::visit::VisitAsked::one("pas"),
        start: "2027-03-31T08:00:00Z".parse().unwrap(),
        citizen: Citizen::parse("Form Borger", "form@example.dk", None).unwrap(),
        language: Language::Da,
    };
    let key = "ab".repeat(32);
    let mut conn = app.pool.get().unwrap();
    book_once(&mut conn, &request, &key, booked_at).unwrap();
    let count = |conn: &mut skranke::store::DbConnection| -> i64 {
        booking_submissions::table.count().get_result(conn).unwrap()
    };
    assert_eq!(count(&mut conn), 1);

    // 90 days after the visit, the form is still remembered; the day after, it is not.
    let inside: DateTime<Utc> = "2027-06-29T07:00:00Z".parse().unwrap();
    let swept = skranke::app::retention::sweep(&mut conn, 90, inside).unwrap();
    assert!(swept.contains(&("booking_submissions", 0)), "{swept:?}");
    assert_eq!(count(&mut conn), 1);
    let after: DateTime<Utc> = "2027-07-01T07:00:00Z".parse().unwrap();
    let swept = skranke::app::retention::sweep(&mut conn, 90, after).unwrap();
    assert!(swept.contains(&("booking_submissions", 1)), "{swept:?}");
    assert_eq!(count(&mut conn), 0);
}
