//! The contract between the app and the API: every GraphQL document the app can
//! send is validated against `schema.graphql`, so a renamed field, a dropped
//! argument or a changed input type fails here rather than on someone's page.
//!
//! Each document comes from a pure function or constant next to the request
//! that sends it, and [`registry`] lists them all, with every variant of a
//! parameterised one (each mutation of an `input_mutations!` set, each list
//! kind, with and without amounts). The source scan below keeps the registry
//! honest: every operation written in `src/` (found by its name) and every
//! `input_mutations!` set must be listed, nothing listed may be gone, and every
//! call that sends a document (`gql`, `request`, `fetch`, `fetch_node`) must
//! send one from such a builder.

use super::{
    accounts, activities, admin, auth, billing, catalogue, custom_fields, documents, enquiries,
    forecasts, home, leads, opportunities, parties, payments, picklists, revenue, roles, users,
    views,
};
use apollo_compiler::validation::Valid;
use apollo_compiler::{ExecutableDocument, Schema};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Debug;
use std::path::{Path, PathBuf};

/// The committed API contract, as the server prints it.
const SCHEMA: &str = include_str!("../../../schema.graphql");

/// One document the app can send, and where it comes from.
struct Sent {
    /// The builder (and variant), e.g. `accounts::AccountWrite::Create`.
    label: String,
    /// The GraphQL document.
    document: String,
}

/// A document from the builder `label`.
fn sent(label: &str, document: impl Into<String>) -> Sent {
    Sent {
        label: label.to_owned(),
        document: document.into(),
    }
}

/// Every mutation of an `input_mutations!` set, labelled `Set::Variant`.
fn each<T: Copy + Debug>(all: &[T], document: fn(T) -> String) -> Vec<Sent> {
    let set = set_name::<T>();
    all.iter()
        .map(|&m| sent(&format!("{set}::{m:?}"), document(m)))
        .collect()
}

/// `AccountWrite` for `frontend::api::accounts::AccountWrite`.
fn set_name<T>() -> &'static str {
    let path = std::any::type_name::<T>();
    path.rsplit("::").next().unwrap_or(path)
}

/// Every document the app can send.
fn registry() -> Vec<Sent> {
    use leads::{convert, forms, lists, settings};
    use opportunities::{board, live, write as opportunity_write};
    use parties::{identifiers, lifecycle, list as party_list, profile, write as party_write};

    let mut all = vec![
        sent("accounts::list_query", accounts::list_query(false)),
        sent("accounts::list_query(custom)", accounts::list_query(true)),
        sent(
            "custom_fields::LIST_COLUMNS_QUERY",
            custom_fields::LIST_COLUMNS_QUERY,
        ),
        sent("accounts::get_query", accounts::get_query()),
        sent("auth::me_query", auth::me_query()),
        sent("auth::login_mutation", auth::login_mutation()),
        sent("auth::LOGOUT_MUTATION", auth::LOGOUT_MUTATION),
        sent(
            "auth::set_password_with_link_mutation",
            auth::set_password_with_link_mutation(),
        ),
        sent("admin::users_query", admin::users_query()),
        sent("admin::ROLES_QUERY", admin::ROLES_QUERY),
        sent("admin::teams_query", admin::teams_query()),
        sent("roles::roles_query", roles::roles_query()),
        sent(
            "custom_fields::definitions_query",
            custom_fields::definitions_query(),
        ),
        sent("custom_fields::create_query", custom_fields::create_query()),
        sent("custom_fields::update_query", custom_fields::update_query()),
        sent(
            "custom_fields::archive_query",
            custom_fields::archive_query(true),
        ),
        sent(
            "custom_fields::restore_query",
            custom_fields::archive_query(false),
        ),
        sent(
            "custom_fields::set_values_query",
            custom_fields::set_values_query(),
        ),
        sent("picklists::values_query", picklists::values_query()),
        sent("picklists::add_query", picklists::add_query()),
        sent("picklists::update_query", picklists::update_query()),
        sent("picklists::archive_query", picklists::archive_query(true)),
        sent("picklists::restore_query", picklists::archive_query(false)),
        sent("roles::role_query", roles::role_query()),
        sent("roles::CATALOGUE_QUERY", roles::CATALOGUE_QUERY),
        sent("roles::PREVIEW_QUERY", roles::PREVIEW_QUERY),
        sent("roles::DELETE_ROLE_MUTATION", roles::DELETE_ROLE_MUTATION),
        sent("admin::SESSIONS_QUERY", admin::SESSIONS_QUERY),
        sent(
            "admin::REVOKE_SESSION_MUTATION",
            admin::REVOKE_SESSION_MUTATION,
        ),
        sent(
            "admin::CHANGE_PASSWORD_MUTATION",
            admin::CHANGE_PASSWORD_MUTATION,
        ),
        sent("users::ASSIGNABLE_QUERY", users::ASSIGNABLE_QUERY),
        sent("accounts::REASSIGN_MUTATION", accounts::REASSIGN_MUTATION),
        sent(
            "accounts::ARCHIVE_MANY_MUTATION",
            accounts::ARCHIVE_MANY_MUTATION,
        ),
        sent("views::list_query", views::list_query()),
        sent("views::save_mutation", views::save_mutation()),
        sent("views::REMOVE_MUTATION", views::REMOVE_MUTATION),
        sent(
            "views::SET_ROLE_DEFAULT_MUTATION",
            views::SET_ROLE_DEFAULT_MUTATION,
        ),
        sent("board::pipelines_query", board::pipelines_query()),
        sent("board::FIRST_CARD_QUERY", board::FIRST_CARD_QUERY),
        sent("board::get_query", board::get_query()),
        sent("board::list_query", board::list_query()),
        sent("live::changes_subscription", live::changes_subscription()),
        sent("profile::get_query", profile::get_query()),
        sent("profile::profile_query", profile::profile_query()),
        sent(
            "profile::relationships_query",
            profile::relationships_query(),
        ),
        sent("profile::search_query", profile::search_query()),
        sent("lifecycle::duplicates_query", lifecycle::duplicates_query()),
        sent(
            "lifecycle::DELETION_REQUESTS_QUERY",
            lifecycle::DELETION_REQUESTS_QUERY,
        ),
        sent("leads::list_query", leads::list_query(false)),
        sent("leads::list_query(custom)", leads::list_query(true)),
        sent("leads::get_query", leads::get_query()),
        sent("lists::list_query", lists::list_query()),
        sent("lists::CHOICES_QUERY", lists::CHOICES_QUERY),
        sent("lists::get_query", lists::get_query()),
        sent("forms::list_query", forms::list_query()),
        sent("forms::get_query", forms::get_query()),
        sent("settings::MAPPING_QUERY", settings::MAPPING_QUERY),
        sent("settings::rules_query", settings::rules_query()),
        sent("settings::TEAMS_QUERY", settings::TEAMS_QUERY),
        sent("convert::preview_query", convert::preview_query()),
        sent("activities::timeline_query", activities::timeline_query()),
        sent("activities::create_mutation", activities::create_mutation()),
        sent(
            "activities::COMPLETE_MUTATION",
            activities::COMPLETE_MUTATION,
        ),
        sent("activities::calendar_query", activities::calendar_query()),
        sent(
            "activities::SKIP_OCCURRENCE_MUTATION",
            activities::SKIP_OCCURRENCE_MUTATION,
        ),
        sent("activities::my_tasks_query", activities::my_tasks_query()),
        sent(
            "activities::MY_REMINDERS_QUERY",
            activities::MY_REMINDERS_QUERY,
        ),
        sent("activities::AUDIT_LOG_QUERY", activities::AUDIT_LOG_QUERY),
        sent(
            "activities::EXPORT_AUDIT_LOG_QUERY",
            activities::EXPORT_AUDIT_LOG_QUERY,
        ),
    ];
    all.extend([
        sent("forecasts::SETTINGS_QUERY", forecasts::SETTINGS_QUERY),
        sent("forecasts::period_query", forecasts::period_query()),
        sent("forecasts::backtest_query", forecasts::backtest_query()),
        sent("forecasts::TEAMS_QUERY", forecasts::TEAMS_QUERY),
        sent("documents::products_query", documents::products_query()),
        sent("documents::catalogue_query", documents::catalogue_query()),
        sent("documents::RESOLVE_QUERY", documents::RESOLVE_QUERY),
        sent("catalogue::TAX_QUERY", catalogue::TAX_QUERY),
        sent(
            "catalogue::product_query(true)",
            catalogue::product_query(true),
        ),
        sent(
            "catalogue::product_query(false)",
            catalogue::product_query(false),
        ),
        sent(
            "catalogue::price_lists_query",
            catalogue::price_lists_query(),
        ),
        sent("catalogue::price_list_query", catalogue::price_list_query()),
        sent("billing::orders_query", billing::orders_query()),
        sent("billing::contracts_query", billing::contracts_query()),
        sent("billing::contract_query", billing::contract_query()),
        sent("billing::order_query", billing::order_query()),
        sent("billing::invoices_query", billing::invoices_query()),
        sent("billing::invoice_query", billing::invoice_query()),
        sent("billing::AGEING_QUERY", billing::AGEING_QUERY),
        sent("payments::payments_query", payments::payments_query()),
        sent("payments::payment_query", payments::payment_query()),
        sent(
            "payments::OPEN_INVOICES_QUERY",
            payments::OPEN_INVOICES_QUERY,
        ),
        sent("payments::RECORD_QUERY", payments::RECORD_QUERY),
        sent("payments::ALLOCATE_QUERY", payments::ALLOCATE_QUERY),
        sent("payments::statement_query", payments::statement_query()),
        sent("revenue::REVENUE_QUERY", revenue::REVENUE_QUERY),
        sent("billing::QUOTE_ORDER_QUERY", billing::QUOTE_ORDER_QUERY),
        sent("billing::order_quote_query", billing::order_quote_query()),
        sent(
            "billing::DELETE_INVOICE_QUERY",
            billing::DELETE_INVOICE_QUERY,
        ),
        sent(
            "billing::RECORD_PAYMENT_QUERY",
            billing::RECORD_PAYMENT_QUERY,
        ),
    ]);
    for amounts in [true, false] {
        all.push(sent(
            &format!("documents::list_query(amounts: {amounts})"),
            documents::list_query(amounts),
        ));
        all.push(sent(
            &format!("documents::get_query(amounts: {amounts})"),
            documents::get_query(amounts),
        ));
        all.push(sent(
            &format!("enquiries::list_query(amounts: {amounts})"),
            enquiries::list_query(amounts),
        ));
        all.push(sent(
            &format!("enquiries::get_query(amounts: {amounts})"),
            enquiries::get_query(amounts),
        ));
    }
    // Users without the amount grant get the board without amounts or sums.
    for amounts in [true, false] {
        all.push(sent(
            &format!("board::board_query(amounts: {amounts})"),
            board::board_query(amounts),
        ));
        all.push(sent(
            &format!("board::totals_query(amounts: {amounts})"),
            board::totals_query(amounts),
        ));
        all.push(sent(
            &format!("board::column_query(amounts: {amounts})"),
            board::column_query(amounts),
        ));
    }
    // Forecasts and reports: money only for callers with the amount grant.
    for amounts in [true, false] {
        let with =
            |name: &str, document: String| sent(&format!("{name}(amounts: {amounts})"), document);
        all.push(with(
            "forecasts::forecast_query",
            forecasts::forecast_query(amounts),
        ));
        all.push(with(
            "forecasts::quota_history_query",
            forecasts::quota_history_query(amounts),
        ));
        all.push(with(
            "forecasts::submissions_query",
            forecasts::submissions_query(amounts),
        ));
        all.push(with(
            "forecasts::statistical_query",
            forecasts::statistical_query(amounts),
        ));
        for &horizon in forecasts::Horizon::ALL {
            all.push(with(
                &format!("forecasts::horizon_query({horizon:?})"),
                forecasts::horizon_query(horizon, amounts),
            ));
        }
        for &group in forecasts::reports::ReportGroup::ALL {
            all.push(with(
                &format!("reports::report_query({group:?})"),
                forecasts::reports::report_query(group, amounts),
            ));
        }
    }
    // A customer's documents on the profile: each part only when granted.
    for bits in 1..64_u8 {
        let parts = billing::CustomerParts {
            enquiries: bits & 1 != 0,
            quotes: bits & 2 != 0,
            quote_amounts: bits & 4 != 0,
            orders: bits & 8 != 0,
            contracts: bits & 16 != 0,
            invoices: bits & 32 != 0,
        };
        if parts.any() {
            all.push(sent(
                &format!("billing::customer_query({parts:?})"),
                billing::customer_query(parts),
            ));
        }
    }
    // The home page: each part only when granted, money only with the amount grant.
    for bits in 0..32_u8 {
        let parts = home::Parts {
            activities: bits & 1 != 0,
            deals: bits & 2 != 0,
            forecast: bits & 4 != 0,
            teams: bits & 8 != 0,
            amounts: bits & 16 != 0,
        };
        // Nothing granted: nothing is sent.
        if bits & 15 != 0 {
            all.push(sent(
                &format!("home::day_query({parts:?})"),
                home::day_query(parts),
            ));
        }
    }
    for amounts in [true, false] {
        for subjects in 1..=3 {
            all.push(sent(
                &format!("home::forecasts_query({subjects}, amounts: {amounts})"),
                home::forecasts_query(subjects, amounts),
            ));
        }
    }
    for kind in party_list::ListKind::ALL {
        for custom in [false, true] {
            all.push(sent(
                &format!("party_list::list_query({kind:?}, custom: {custom})"),
                party_list::list_query(kind, custom),
            ));
        }
    }
    all.extend(each(
        accounts::AccountWrite::ALL,
        accounts::AccountWrite::document,
    ));
    all.extend(each(
        opportunity_write::OpportunityWrite::ALL,
        opportunity_write::OpportunityWrite::document,
    ));
    all.extend(each(
        party_write::PartyWrite::ALL,
        party_write::PartyWrite::document,
    ));
    all.extend(each(
        party_write::MechanismWrite::ALL,
        party_write::MechanismWrite::document,
    ));
    all.extend(each(
        party_write::RelationshipWrite::ALL,
        party_write::RelationshipWrite::document,
    ));
    all.extend(each(
        identifiers::IdentifierWrite::ALL,
        identifiers::IdentifierWrite::document,
    ));
    all.extend(each(
        lifecycle::LifecycleWrite::ALL,
        lifecycle::LifecycleWrite::document,
    ));
    all.extend(each(leads::LeadWrite::ALL, leads::LeadWrite::document));
    all.extend(each(
        documents::QuoteWrite::ALL,
        documents::QuoteWrite::document,
    ));
    all.extend(each(
        enquiries::EnquiryWrite::ALL,
        enquiries::EnquiryWrite::document,
    ));
    all.extend(each(
        billing::OrderWrite::ALL,
        billing::OrderWrite::document,
    ));
    all.extend(each(
        catalogue::CatalogueWrite::ALL,
        catalogue::CatalogueWrite::document,
    ));
    all.extend(each(
        billing::ContractWrite::ALL,
        billing::ContractWrite::document,
    ));
    all.extend(each(
        billing::InvoiceWrite::ALL,
        billing::InvoiceWrite::document,
    ));
    all.extend(each(lists::ListWrite::ALL, lists::ListWrite::document));
    all.extend(each(forms::FormWrite::ALL, forms::FormWrite::document));
    all.extend(each(
        settings::SettingsWrite::ALL,
        settings::SettingsWrite::document,
    ));
    all.extend(each(admin::UserWrite::ALL, admin::UserWrite::document));
    all.extend(each(admin::TeamWrite::ALL, admin::TeamWrite::document));
    all.extend(each(roles::RoleWrite::ALL, roles::RoleWrite::document));
    all.extend(each(
        forecasts::ForecastWrite::ALL,
        forecasts::ForecastWrite::document,
    ));
    all.extend(each(
        convert::ConvertWrite::ALL,
        convert::ConvertWrite::document,
    ));
    all
}

/// `schema.graphql`, validated.
fn schema() -> Valid<Schema> {
    match Schema::parse_and_validate(SCHEMA, "schema.graphql") {
        Ok(schema) => schema,
        Err(invalid) => panic!("schema.graphql is not a valid schema:\n{}", invalid.errors),
    }
}

/// The name of the one operation of `document`, or why it has none.
fn validate(schema: &Valid<Schema>, label: &str, document: &str) -> Result<String, String> {
    let valid = ExecutableDocument::parse_and_validate(schema, document, label)
        .map_err(|invalid| invalid.errors.to_string())?;
    let names: Vec<String> = valid
        .operations
        .iter()
        .map(|op| op.name.as_ref().map(|n| n.to_string()).unwrap_or_default())
        .collect();
    match names.as_slice() {
        [name] if !name.is_empty() => Ok(name.clone()),
        _ => Err(format!("expected one named operation, found {names:?}")),
    }
}

#[test]
fn every_document_the_app_sends_is_valid_against_schema_graphql() {
    let schema = schema();
    let registry = registry();
    let failures: Vec<String> = registry
        .iter()
        .filter_map(|s| {
            let error = validate(&schema, &s.label, &s.document).err()?;
            Some(format!(
                "`{}` does not match schema.graphql:\n{error}",
                s.label
            ))
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} documents are invalid:\n\n{}",
        failures.len(),
        registry.len(),
        failures.join("\n")
    );
}

#[test]
fn the_validation_refuses_documents_the_server_would_refuse() {
    let schema = schema();
    // What is wrong, the document, and a part of the message that names it.
    let refused = [
        (
            "an unknown field",
            "query Q { me { user { id emial } } }",
            "`User` does not have a field `emial`",
        ),
        (
            "an unknown type",
            "query Q($f: AcountFilter) { accounts(filter: $f) { totalCount } }",
            "cannot find type `AcountFilter`",
        ),
        (
            "an unknown argument",
            "query Q { accounts(frist: 1) { totalCount } }",
            "the argument `frist` is not supported",
        ),
        (
            "a missing required argument",
            "query Q { account { id } }",
            "`QueryRoot.account(id:)` is not provided",
        ),
        (
            "a variable of the wrong type",
            "query Q($id: Int!) { account(id: $id) { id } }",
            "`$id` of type `Int!` cannot be used for argument `id` of type `ID!`",
        ),
        (
            "a nullable variable for a non-null argument",
            "query Q($id: ID) { account(id: $id) { id } }",
            "`$id` of type `ID` cannot be used for argument `id` of type `ID!`",
        ),
        (
            "a variable of another input type",
            "mutation Q($input: UpdateAccountInput!) { createAccount(input: $input) { account { id } } }",
            "of type `UpdateAccountInput!` cannot be used for argument `input` of type `CreateAccountInput!`",
        ),
        (
            "an unknown enum value",
            "query Q { accounts(orderBy: { field: NAME, direction: UP }) { totalCount } }",
            "value `UP` does not exist on `SortDirection`",
        ),
        (
            "a fragment on the wrong type",
            "query Q { me { user { ... on Account { name } } } }",
            "type condition `Account` cannot be applied to `User`",
        ),
        (
            "an undefined variable",
            "query Q { account(id: $id) { id } }",
            "variable `$id` is not defined",
        ),
        (
            "an unused variable",
            "query Q($id: ID!, $first: Int) { account(id: $id) { id } }",
            "unused variable: `$first`",
        ),
        (
            "an object without a selection",
            "query Q { account(id: \"A\") }",
            "must have a subselection set",
        ),
    ];
    for (what, document, message) in refused {
        match validate(&schema, what, document) {
            Ok(_) => panic!("{what} was not refused: {document}"),
            Err(errors) => assert!(
                errors.contains(message),
                "{what}: expected `{message}` in\n{errors}"
            ),
        }
    }
    assert_eq!(
        validate(
            &schema,
            "valid",
            "query Q($id: ID!) { account(id: $id) { id } }"
        ),
        Ok("Q".to_owned())
    );
}

/// Where an operation or a mutation set is written: `api/accounts.rs`.
type Places = BTreeMap<String, Vec<String>>;

/// The code of every `.rs` file under `dir`, without its unit tests, by path
/// relative to `src/`.
fn sources(root: &Path, dir: &Path, out: &mut Vec<(String, String)>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path: PathBuf = entry?.path();
        if path.is_dir() {
            sources(root, &path, out)?;
        } else if path.extension().is_some_and(|e| e == "rs") {
            let relative = path.strip_prefix(root).unwrap_or(&path);
            let relative = relative.to_string_lossy().replace('\\', "/");
            if relative == "api/contract.rs" {
                continue;
            }
            let text = std::fs::read_to_string(&path)?;
            let code = text
                .split("#[cfg(test)]\nmod tests")
                .next()
                .unwrap_or_default();
            out.push((relative, code.to_owned()));
        }
    }
    Ok(())
}

/// The operations written in `code` as string literals (`"query Name(…` or
/// `"query Name {…`), by name; an operation without a name is listed as `""`.
fn operations_in(code: &str) -> Vec<String> {
    let mut names = Vec::new();
    for (at, _) in code.match_indices('"') {
        let rest = &code[at + 1..];
        let Some(after) = ["query", "mutation", "subscription"]
            .iter()
            .find_map(|keyword| rest.strip_prefix(keyword))
        else {
            continue;
        };
        if !after.starts_with([' ', '(', '{']) {
            continue;
        }
        let after = after.trim_start();
        let name: String = after
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        // Variables or the selection follow the name; anything else is prose
        // ("subscription refused").
        if after[name.len()..].trim_start().starts_with(['(', '{']) {
            names.push(name);
        }
    }
    names
}

/// The sets declared in `code` with `input_mutations!`.
fn mutation_sets_in(code: &str) -> Vec<String> {
    code.split("input_mutations! {")
        .skip(1)
        .filter_map(|block| {
            let line = block.lines().map(str::trim).find(|line| {
                !line.is_empty() && !line.starts_with("///") && !line.starts_with("#[")
            })?;
            let name = line.trim_end_matches('{').split_whitespace().last()?;
            Some(name.to_owned())
        })
        .collect()
}

/// The first argument of every call in `code` that sends a document
/// (`gql`, `request`, `fetch`, `fetch_node`), comments left out.
fn sent_in(code: &str) -> Vec<String> {
    let mut arguments = Vec::new();
    for sender in ["gql(", "request(", "fetch(", "fetch_node("] {
        for (at, _) in code.match_indices(sender) {
            let before = &code[..at];
            let line = before.rsplit('\n').next().unwrap_or_default().trim_start();
            let joined = before
                .chars()
                .next_back()
                .is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '.');
            if joined || before.ends_with("fn ") || line.starts_with("//") {
                continue;
            }
            let rest = &code[at + sender.len()..];
            let mut depth = 0;
            let mut end = rest.len();
            for (i, c) in rest.char_indices() {
                match c {
                    '(' | '[' | '{' => depth += 1,
                    ')' | ']' | '}' | ',' if depth == 0 => {
                        end = i;
                        break;
                    }
                    ')' | ']' | '}' => depth -= 1,
                    _ => {}
                }
            }
            arguments.push(rest[..end].trim().trim_start_matches('&').to_owned());
        }
    }
    arguments
}

/// Is `argument` a document from a builder the registry can list: a
/// `*_query()`, `*_mutation()` or `*_subscription()` function, a `*_QUERY` or
/// `*_MUTATION` constant, an input mutation's `document()`, or a wrapper's
/// `document` parameter?
fn is_listed_builder(argument: &str) -> bool {
    let called = argument.ends_with(')');
    let name = argument.split('(').next().unwrap_or(argument);
    let name = name.rsplit("::").next().unwrap_or(name);
    if called {
        ["_query", "_mutation", "_subscription", ".document"]
            .iter()
            .any(|end| name.ends_with(end))
    } else {
        name == "document"
            || (name.ends_with("_QUERY") || name.ends_with("_MUTATION"))
                && name.chars().all(|c| c.is_ascii_uppercase() || c == '_')
    }
}

#[test]
fn the_registry_lists_every_document_written_in_the_source() -> std::io::Result<()> {
    // The crate being tested (set by `cargo test`), not the one this was compiled in.
    let crate_dir = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf());
    let root = crate_dir.join("src");
    let mut files = Vec::new();
    sources(&root, &root, &mut files)?;
    let mut operations = Places::new();
    let mut sets = Places::new();
    let mut problems = Vec::new();
    let mut calls = 0;
    for (file, code) in &files {
        // The client itself passes its argument on.
        if file != "api/mod.rs" {
            for argument in sent_in(code) {
                calls += 1;
                if !is_listed_builder(&argument) {
                    problems.push(format!(
                        "{file} sends `{argument}`: send a `*_query()` or `*_QUERY` builder \
                         or an input mutation's `document()`, listed in the registry"
                    ));
                }
            }
        }
        for name in operations_in(code) {
            operations.entry(name).or_default().push(file.clone());
        }
        for name in mutation_sets_in(code) {
            sets.entry(name).or_default().push(file.clone());
        }
    }

    let registry = registry();
    // Read like the source, so an invalid document is reported once, above.
    let listed_operations: BTreeSet<String> = registry
        .iter()
        .flat_map(|s| operations_in(&format!("\"{}", s.document)))
        .collect();
    let listed_sets: BTreeSet<&str> = registry
        .iter()
        .filter_map(|s| s.label.split_once("::").map(|(set, _)| set))
        .filter(|set| sets.contains_key(*set))
        .collect();

    for (name, files) in &operations {
        if name.is_empty() {
            problems.push(format!("an operation without a name in {files:?}: name it"));
        } else if files.len() > 1 {
            problems.push(format!(
                "operation `{name}` is written more than once: {files:?}"
            ));
        } else if !listed_operations.contains(name) {
            problems.push(format!(
                "operation `{name}` in {files:?} is not in the registry (api/contract.rs)"
            ));
        }
    }
    for name in &listed_operations {
        if !operations.contains_key(name) {
            problems.push(format!(
                "the registry lists `{name}`, written nowhere in src/"
            ));
        }
    }
    for (name, files) in &sets {
        if !listed_sets.contains(name.as_str()) {
            problems.push(format!(
                "mutation set `{name}` in {files:?} is not in the registry (api/contract.rs)"
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    // The scan itself must see the app's documents, or it proves nothing.
    assert!(operations.len() > 30, "operations found: {operations:?}");
    assert!(sets.len() > 8, "mutation sets found: {sets:?}");
    assert!(calls > 30, "calls that send a document found: {calls}");
    Ok(())
}
