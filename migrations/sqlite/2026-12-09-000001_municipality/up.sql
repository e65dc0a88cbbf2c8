-- What citizens see of an organisation: the name and logo in the pages' header, the
-- address, phone and the privacy and accessibility statements in their footer, and the
-- sender of its mails. One row per organisation, written by the import.
CREATE TABLE municipalities (
    organisation_id BIGINT PRIMARY KEY NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    -- 'url' (an https address) or 'file' (a path on the server, served by Skranke).
    logo_kind TEXT NOT NULL,
    logo TEXT NOT NULL,
    phone TEXT NOT NULL,
    address TEXT NOT NULL,
    mail_from_name TEXT NOT NULL,
    mail_from TEXT NOT NULL,
    reply_to TEXT NOT NULL,
    privacy_notice_url TEXT NOT NULL,
    accessibility_statement_url TEXT NOT NULL,
    -- '#rrggbb', or NULL for the design system's own colour.
    brand_colour TEXT
);
