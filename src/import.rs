//! The organisation file: TOML in, a validated OrganisationSpec out.
