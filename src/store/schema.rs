//! The tables of both backends, by hand: only types that SQLite and PostgreSQL map alike.
//!
//! Longer than the other files because it is nothing but declarations, one per table and
//! join, and diesel wants them in one module: `allow_tables_to_appear_in_same_query!` and
//! `joinable!` name tables side by side.

diesel::table! {
    organisations {
        id -> BigInt,
        slug -> Text,
        name -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    catalogue_stamp {
        id -> Integer,
        stamp -> Text,
    }
}

diesel::table! {
    ticket_counters (location_id, local_day, prefix) {
        location_id -> BigInt,
        local_day -> Date,
        prefix -> Text,
        last_seq -> Integer,
    }
}

diesel::table! {
    waiting_walk_ins (location_id, service_id) {
        location_id -> BigInt,
        service_id -> BigInt,
        waiting -> Integer,
    }
}

diesel::table! {
    booking_submissions (key_hash) {
        key_hash -> Text,
        appointment_id -> BigInt,
        sealed_token -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    municipalities (organisation_id) {
        organisation_id -> BigInt,
        name -> Text,
        logo_kind -> Text,
        logo -> Text,
        phone -> Text,
        address -> Text,
        mail_from_name -> Text,
        mail_from -> Text,
        reply_to -> Text,
        privacy_notice_url -> Text,
        accessibility_statement_url -> Text,
        brand_colour -> Nullable<Text>,
    }
}

diesel::table! {
    departments {
        id -> BigInt,
        organisation_id -> BigInt,
        slug -> Text,
        name -> Text,
    }
}

diesel::table! {
    services {
        id -> BigInt,
        organisation_id -> BigInt,
        department_id -> BigInt,
        slug -> Text,
        name_da -> Text,
        name_en -> Text,
        duration_minutes -> Integer,
        buffer_minutes -> Integer,
        channel -> Text,
        booking -> Text,
        self_service_url -> Nullable<Text>,
        queue_prefix -> Text,
        book_ahead_days -> Integer,
        min_notice_minutes -> Integer,
        slot_step_minutes -> Integer,
        priority -> Integer,
        what_to_bring_da -> Nullable<Text>,
        what_to_bring_en -> Nullable<Text>,
        reminder_hours -> Integer,
        max_future_bookings -> Integer,
        check_in_early_minutes -> Integer,
        check_in_grace_minutes -> Integer,
        late_arrival -> Text,
        reminder_channels -> Text,
        additional_minutes -> Nullable<Integer>,
        max_per_visit -> Integer,
        version -> Integer,
        changed_by -> Nullable<Text>,
        changed_at -> Nullable<Timestamp>,
        meeting_url -> Nullable<Text>,
    }
}

diesel::table! {
    locations {
        id -> BigInt,
        organisation_id -> BigInt,
        slug -> Text,
        name -> Text,
        address -> Text,
        timezone -> Text,
        version -> Integer,
        changed_by -> Nullable<Text>,
        changed_at -> Nullable<Timestamp>,
        alert_after_minutes -> Nullable<Integer>,
        surge_alert_percent -> Nullable<Integer>,
        contact -> Text,
    }
}

diesel::table! {
    location_services (location_id,service_id) {
        location_id -> BigInt,
        service_id -> BigInt,
    }
}

diesel::table! {
    opening_hours {
        id -> BigInt,
        location_id -> BigInt,
        service_id -> Nullable<BigInt>,
        weekday -> Integer,
        opens -> Time,
        closes -> Time,
    }
}

diesel::table! {
    closures {
        id -> BigInt,
        location_id -> BigInt,
        first_day -> Date,
        last_day -> Date,
        reason -> Text,
        closed_from -> Nullable<Time>,
        closed_until -> Nullable<Time>,
        opening_hours -> Nullable<Text>,
    }
}

diesel::table! {
    desks {
        id -> BigInt,
        location_id -> BigInt,
        name -> Text,
        kind -> Text,
        state -> Text,
        active -> Bool,
        out_of_order -> Bool,
        version -> Integer,
        changed_by -> Nullable<Text>,
        changed_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    desk_services (desk_id,service_id) {
        desk_id -> BigInt,
        service_id -> BigInt,
    }
}

diesel::table! {
    capacity_rules {
        id -> BigInt,
        location_id -> BigInt,
        weekday -> Integer,
        starts -> Time,
        ends -> Time,
        desks -> Integer,
        desk_kind -> Text,
    }
}

diesel::table! {
    capacity_rule_services (rule_id,service_id) {
        rule_id -> BigInt,
        service_id -> BigInt,
    }
}

diesel::table! {
    staff_users {
        id -> BigInt,
        organisation_id -> BigInt,
        username -> Text,
        display_name -> Text,
        password_hash -> Nullable<Text>,
        home_location_id -> Nullable<BigInt>,
        active -> Bool,
        created_at -> Timestamp,
        email -> Nullable<Text>,
        version -> Integer,
        changed_by -> Nullable<Text>,
        changed_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    staff_roles (staff_id,role) {
        staff_id -> BigInt,
        role -> Text,
    }
}

diesel::table! {
    staff_locations (staff_id,location_id) {
        staff_id -> BigInt,
        location_id -> BigInt,
    }
}

diesel::table! {
    staff_services (staff_id,service_id) {
        staff_id -> BigInt,
        service_id -> BigInt,
    }
}

diesel::table! {
    sessions {
        id -> BigInt,
        token_hash -> Text,
        staff_id -> BigInt,
        csrf_token -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
    }
}

diesel::table! {
    password_links {
        id -> BigInt,
        staff_id -> BigInt,
        token_hash -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    demand_history (location_id,service_id,interval_start) {
        location_id -> BigInt,
        service_id -> BigInt,
        interval_start -> Timestamp,
        walk_ins -> Integer,
        booked -> Integer,
        no_shows -> Integer,
        served -> Integer,
        service_seconds -> Integer,
        wait_seconds -> Integer,
    }
}

diesel::joinable!(departments -> organisations (organisation_id));
diesel::joinable!(municipalities -> organisations (organisation_id));
diesel::joinable!(services -> organisations (organisation_id));
diesel::joinable!(services -> departments (department_id));
diesel::joinable!(locations -> organisations (organisation_id));
diesel::joinable!(location_services -> locations (location_id));
diesel::joinable!(location_services -> services (service_id));
diesel::joinable!(opening_hours -> locations (location_id));
diesel::joinable!(opening_hours -> services (service_id));
diesel::joinable!(closures -> locations (location_id));
diesel::joinable!(desks -> locations (location_id));
diesel::joinable!(desk_services -> desks (desk_id));
diesel::joinable!(desk_services -> services (service_id));
diesel::joinable!(capacity_rules -> locations (location_id));
diesel::joinable!(capacity_rule_services -> capacity_rules (rule_id));
diesel::joinable!(capacity_rule_services -> services (service_id));
diesel::joinable!(staff_users -> organisations (organisation_id));
diesel::joinable!(staff_users -> locations (home_location_id));
diesel::joinable!(staff_roles -> staff_users (staff_id));
diesel::joinable!(staff_locations -> staff_users (staff_id));
diesel::joinable!(staff_locations -> locations (location_id));
diesel::joinable!(staff_services -> staff_users (staff_id));
diesel::joinable!(staff_services -> services (service_id));
diesel::joinable!(sessions -> staff_users (staff_id));
diesel::joinable!(password_links -> staff_users (staff_id));
diesel::joinable!(demand_history -> locations (location_id));
diesel::joinable!(demand_history -> services (service_id));

diesel::table! {
    appointments {
        id -> BigInt,
        reference -> Text,
        token_hash -> Text,
        location_id -> BigInt,
        service_id -> BigInt,
        starts_at -> Timestamp,
        ends_at -> Timestamp,
        blocks_until -> Timestamp,
        status -> Text,
        citizen_name -> Nullable<Text>,
        citizen_email -> Nullable<Text>,
        citizen_phone -> Nullable<Text>,
        language -> Text,
        sequence -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        citizen_sms_opt_in -> Bool,
        quantity -> Integer,
        citizen_feedback_opt_in -> Bool,
        kept_despite_change_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    outbox {
        id -> BigInt,
        kind -> Text,
        owner_kind -> Text,
        owner_id -> BigInt,
        event -> Text,
        payload -> Text,
        secret -> Nullable<Text>,
        due_at -> Timestamp,
        lease -> Nullable<Text>,
        leased_until -> Nullable<Timestamp>,
        attempts -> Integer,
        last_error -> Nullable<Text>,
        sent_at -> Nullable<Timestamp>,
        dropped_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        sequence -> Nullable<Text>,
    }
}

diesel::table! {
    tickets {
        id -> BigInt,
        public_id -> Text,
        location_id -> BigInt,
        service_id -> BigInt,
        local_day -> Date,
        prefix -> Text,
        seq -> Integer,
        status -> Text,
        appointment_id -> Nullable<BigInt>,
        assisted -> Bool,
        queued_at -> Timestamp,
        issued_at -> Timestamp,
        desk_id -> Nullable<BigInt>,
        outcome -> Nullable<Text>,
        called_at -> Nullable<Timestamp>,
        finished_at -> Nullable<Timestamp>,
        whole_visit -> Bool,
    }
}

diesel::table! {
    queue_events {
        id -> BigInt,
        location_id -> BigInt,
        ticket_id -> Nullable<BigInt>,
        desk_id -> Nullable<BigInt>,
        staff_id -> Nullable<BigInt>,
        action -> Text,
        detail -> Nullable<Text>,
        at -> Timestamp,
    }
}

diesel::table! {
    door_outcomes {
        id -> BigInt,
        location_id -> BigInt,
        service_id -> Nullable<BigInt>,
        outcome -> Text,
        at -> Timestamp,
    }
}

diesel::joinable!(tickets -> locations (location_id));
diesel::joinable!(tickets -> services (service_id));
diesel::joinable!(tickets -> desks (desk_id));
diesel::joinable!(tickets -> appointments (appointment_id));
diesel::joinable!(appointments -> locations (location_id));
diesel::joinable!(appointments -> services (service_id));

diesel::table! {
    shift_templates {
        id -> BigInt,
        organisation_id -> BigInt,
        slug -> Text,
        starts -> Time,
        ends -> Time,
        breaks -> Text,
    }
}

diesel::table! {
    shift_template_locations (template_id,location_id) {
        template_id -> BigInt,
        location_id -> BigInt,
    }
}

diesel::table! {
    staff_contracts (staff_id) {
        staff_id -> BigInt,
        contract_minutes -> Integer,
    }
}

diesel::table! {
    staff_absences {
        id -> BigInt,
        staff_id -> BigInt,
        first_day -> Date,
        last_day -> Date,
    }
}

diesel::table! {
    staff_preferred_shifts (staff_id,template_id) {
        staff_id -> BigInt,
        template_id -> BigInt,
    }
}

diesel::table! {
    rosters {
        id -> BigInt,
        organisation_id -> BigInt,
        first_day -> Date,
        last_day -> Date,
        target -> Text,
        interval_minutes -> Integer,
        lower_bound -> Double,
        lp_relaxation -> Double,
        objective -> Double,
        gap -> Double,
        status -> Text,
        booked_share -> Nullable<Double>,
        created_at -> Timestamp,
        published_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    roster_locations (roster_id,location_id) {
        roster_id -> BigInt,
        location_id -> BigInt,
    }
}

diesel::table! {
    roster_shifts {
        id -> BigInt,
        roster_id -> BigInt,
        staff_id -> BigInt,
        location_id -> BigInt,
        template_slug -> Text,
        local_date -> Date,
        starts_at -> Timestamp,
        ends_at -> Timestamp,
    }
}

diesel::table! {
    roster_intervals (roster_id,location_id,starts_at) {
        roster_id -> BigInt,
        location_id -> BigInt,
        starts_at -> Timestamp,
        forecast -> Double,
        required -> Integer,
        planned -> Integer,
        simulated_wait_minutes -> Double,
        met -> Bool,
        booked_desks -> Nullable<Integer>,
    }
}

diesel::joinable!(shift_template_locations -> shift_templates (template_id));
diesel::joinable!(shift_template_locations -> locations (location_id));
diesel::joinable!(staff_preferred_shifts -> shift_templates (template_id));
diesel::joinable!(staff_contracts -> staff_users (staff_id));
diesel::joinable!(staff_absences -> staff_users (staff_id));
diesel::joinable!(roster_locations -> rosters (roster_id));
diesel::joinable!(roster_locations -> locations (location_id));
diesel::joinable!(roster_shifts -> rosters (roster_id));
diesel::joinable!(roster_shifts -> staff_users (staff_id));
diesel::joinable!(roster_shifts -> locations (location_id));
diesel::joinable!(roster_intervals -> rosters (roster_id));
diesel::joinable!(roster_intervals -> locations (location_id));

diesel::table! {
    webhooks {
        id -> BigInt,
        organisation_id -> BigInt,
        url -> Text,
        secret -> Text,
        events -> Text,
        state -> Text,
        last_error -> Nullable<Text>,
        last_delivered_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::joinable!(webhooks -> organisations (organisation_id));

diesel::table! {
    queue_alerts (location_id, service_id) {
        location_id -> BigInt,
        service_id -> BigInt,
        over_since -> Nullable<Timestamp>,
        calm_since -> Nullable<Timestamp>,
        raised_at -> Nullable<Timestamp>,
        cause -> Nullable<Text>,
        surge_arrived -> Nullable<Integer>,
        surge_expected -> Nullable<Integer>,
    }
}

diesel::joinable!(queue_alerts -> locations (location_id));
diesel::joinable!(queue_alerts -> services (service_id));

diesel::allow_tables_to_appear_in_same_query!(
    appointments,
    webhooks,
    queue_alerts,
    catalogue_stamp,
    ticket_counters,
    waiting_walk_ins,
    booking_submissions,
    queue_events,
    tickets,
    door_outcomes,
    outbox,
    organisations,
    municipalities,
    departments,
    services,
    locations,
    location_services,
    opening_hours,
    closures,
    desks,
    desk_services,
    capacity_rules,
    capacity_rule_services,
    staff_users,
    staff_roles,
    staff_locations,
    staff_services,
    sessions,
    password_links,
    demand_history,
    shift_templates,
    shift_template_locations,
    staff_contracts,
    staff_absences,
    staff_preferred_shifts,
    rosters,
    roster_locations,
    roster_shifts,
    roster_intervals,
);

diesel::table! {
    audit_log {
        id -> BigInt,
        at -> Timestamp,
        staff_id -> Nullable<BigInt>,
        actor -> Text,
        action -> Text,
        subject -> Nullable<Text>,
        detail -> Nullable<Text>,
        before_change -> Nullable<Text>,
        after_change -> Nullable<Text>,
    }
}

diesel::table! {
    waitlist_entries {
        id -> BigInt,
        reference -> Text,
        token_hash -> Text,
        location_id -> BigInt,
        service_id -> BigInt,
        from_date -> Date,
        to_date -> Date,
        citizen_name -> Nullable<Text>,
        citizen_email -> Nullable<Text>,
        language -> Text,
        status -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    waitlist_holds {
        id -> BigInt,
        entry_id -> BigInt,
        location_id -> BigInt,
        service_id -> BigInt,
        starts_at -> Timestamp,
        blocks_until -> Timestamp,
        token_hash -> Text,
        expires_at -> Timestamp,
        status -> Text,
        appointment_id -> Nullable<BigInt>,
        created_at -> Timestamp,
    }
}

diesel::allow_tables_to_appear_in_same_query!(waitlist_entries, waitlist_holds, outbox);

diesel::table! {
    login_failures (key_hash) {
        key_hash -> Text,
        failures -> Integer,
        last_failure_at -> Timestamp,
        blocked_until -> Nullable<Timestamp>,
    }
}

// A visit's further errands and needs, the needs an organisation offers, and what desks have.

diesel::table! {
    appointment_errands (appointment_id, position) {
        appointment_id -> BigInt,
        position -> Integer,
        service_id -> BigInt,
        quantity -> Integer,
    }
}

diesel::table! {
    appointment_needs (appointment_id, kind) {
        appointment_id -> BigInt,
        kind -> Text,
        detail -> Nullable<Text>,
    }
}

diesel::table! {
    organisation_needs (organisation_id, kind) {
        organisation_id -> BigInt,
        kind -> Text,
        position -> Integer,
        name_da -> Text,
        name_en -> Text,
        extra_minutes -> Integer,
    }
}

diesel::table! {
    desk_features (desk_id, feature) {
        desk_id -> BigInt,
        feature -> Text,
    }
}

diesel::joinable!(appointment_errands -> appointments (appointment_id));
diesel::joinable!(appointment_errands -> services (service_id));
diesel::joinable!(appointment_needs -> appointments (appointment_id));
diesel::joinable!(organisation_needs -> organisations (organisation_id));
diesel::joinable!(desk_features -> desks (desk_id));

diesel::allow_tables_to_appear_in_same_query!(appointment_errands, appointments);
diesel::allow_tables_to_appear_in_same_query!(appointment_errands, services);
diesel::allow_tables_to_appear_in_same_query!(appointment_needs, appointments);
diesel::allow_tables_to_appear_in_same_query!(organisation_needs, organisations);
diesel::allow_tables_to_appear_in_same_query!(desk_features, desks);

// A ticket's errands, each with its outcome, and the needs stated for it.

diesel::table! {
    ticket_errands (ticket_id, position) {
        ticket_id -> BigInt,
        position -> Integer,
        service_id -> BigInt,
        quantity -> Integer,
        outcome -> Nullable<Text>,
    }
}

diesel::table! {
    ticket_needs (ticket_id, kind) {
        ticket_id -> BigInt,
        kind -> Text,
        detail -> Nullable<Text>,
    }
}

diesel::joinable!(ticket_errands -> tickets (ticket_id));
diesel::joinable!(ticket_errands -> services (service_id));
diesel::joinable!(ticket_needs -> tickets (ticket_id));

diesel::allow_tables_to_appear_in_same_query!(ticket_errands, tickets);
diesel::allow_tables_to_appear_in_same_query!(ticket_errands, services);
diesel::allow_tables_to_appear_in_same_query!(ticket_needs, tickets);

diesel::table! {
    visit_feedback (ticket_id) {
        ticket_id -> BigInt,
        location_id -> BigInt,
        service_id -> BigInt,
        score -> Integer,
        comment -> Nullable<Text>,
        given_at -> Timestamp,
    }
}

// A waitlist entry's visit: its errands (the entry's own the first line) and the needs stated.

diesel::table! {
    waitlist_entry_errands (entry_id, position) {
        entry_id -> BigInt,
        position -> Integer,
        service_id -> BigInt,
        quantity -> Integer,
    }
}

diesel::table! {
    waitlist_entry_needs (entry_id, kind) {
        entry_id -> BigInt,
        kind -> Text,
        detail -> Nullable<Text>,
    }
}

diesel::joinable!(waitlist_entry_errands -> waitlist_entries (entry_id));
diesel::joinable!(waitlist_entry_needs -> waitlist_entries (entry_id));

diesel::allow_tables_to_appear_in_same_query!(waitlist_entry_errands, waitlist_entries);
diesel::allow_tables_to_appear_in_same_query!(waitlist_entry_needs, waitlist_entries);
