//! The home page's data, in two requests: the day (tasks, today's calendar,
//! stuck deals), the current quarter and the teams; then the forecasts of the
//! user and of the teams they manage for that quarter. Each part is asked only
//! when the user's grants allow it, and money only with `opportunity.amount`.

use super::accounts::Money;
use super::activities::ActivityKind;
use super::forecasts::{self, Forecast, Period, Subject, Team};
use super::json::{self, FromJson};
use super::ApiError;
use serde_json::{json, Map, Value};

/// Which parts the user may see.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Parts {
    /// Tasks and today's calendar (`activity` read).
    pub activities: bool,
    /// Stuck deals (`opportunity` read).
    pub deals: bool,
    /// The quarter's forecasts (`forecast` read).
    pub forecast: bool,
    /// Teams, to find those the user manages (`team` read).
    pub teams: bool,
    /// Money (`opportunity.amount`).
    pub amounts: bool,
}

/// A record an activity is linked to, with its name.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Linked {
    /// `/parties/…` or `/opportunities/…`.
    pub href: String,
    /// Its name.
    pub name: String,
}

/// A task or a calendar entry, with the records it belongs to.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Entry {
    pub kind: ActivityKind,
    pub subject: String,
    /// Start (calls, meetings) or due time (tasks), RFC 3339.
    pub when: Option<String>,
    /// A planned task past its due time.
    pub overdue: bool,
    /// The records it is linked to that the user may see.
    pub records: Vec<Linked>,
}

impl FromJson for Entry {
    fn from_json(v: &Value) -> Self {
        let records = json::items(&v["links"])
            .iter()
            .filter_map(|l| {
                let (path, name) = match l["type"].as_str()? {
                    "OPPORTUNITY" => ("opportunities", json::opt_text(&l["opportunity"], "name")?),
                    _ => ("parties", json::opt_text(&l["party"], "displayName")?),
                };
                Some(Linked {
                    href: format!("/{path}/{}", json::text(l, "recordId")),
                    name,
                })
            })
            .collect();
        Self {
            kind: json::enumerated(v, "kind", ActivityKind::parse).unwrap_or_default(),
            subject: json::text(v, "subject"),
            when: json::opt_text(v, "startsAt").or_else(|| json::opt_text(v, "dueAt")),
            overdue: json::flag(v, "overdue"),
            records,
        }
    }
}

/// An open deal whose stage has not changed for a while.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Deal {
    pub id: String,
    pub name: String,
    pub stage: String,
    pub owner: String,
    pub account: Option<String>,
    pub close_date: Option<String>,
    /// `None` when hidden or not set.
    pub amount: Option<Money>,
}

impl FromJson for Deal {
    fn from_json(v: &Value) -> Self {
        let amount = &v["amount"];
        Self {
            id: json::text(v, "id"),
            name: json::text(v, "name"),
            stage: json::text(&v["stage"], "name"),
            owner: json::text(&v["owner"], "displayName"),
            account: json::opt_text(&v["account"], "name"),
            close_date: json::opt_text(v, "closeDate"),
            amount: amount.is_object().then(|| Money {
                amount: forecasts::decimal(amount, "amount").unwrap_or_default(),
                currency: json::text(amount, "currency"),
            }),
        }
    }
}

/// Days without a stage change that make a deal stuck.
pub const STUCK_DAYS: i64 = 30;
/// Stuck deals shown.
const STUCK_SHOWN: i64 = 5;

/// The records an activity belongs to.
const LINKS: &str = "links { type recordId party { displayName } opportunity { name } }";

/// The first document: each part only when granted.
pub(crate) fn day_query(parts: Parts) -> String {
    let mut fields = Vec::new();
    let mut params = Vec::new();
    if parts.activities {
        params.push("$from: DateTime!, $to: DateTime!");
        fields.push(format!(
            "myTasks(overdueOnly: false) {{ kind subject dueAt overdue {LINKS} }} \
             calendar(from: $from, to: $to) {{ kind subject startsAt dueAt overdue {LINKS} }}"
        ));
    }
    if parts.deals {
        let amount = if parts.amounts {
            " amount { amount currency }"
        } else {
            ""
        };
        fields.push(format!(
            "stuckOpportunities(days: {STUCK_DAYS}, first: {STUCK_SHOWN}) {{ id name \
             stage {{ name }} owner {{ displayName }} account {{ name }} closeDate{amount} }}"
        ));
    }
    if parts.forecast {
        fields.push("forecastPeriod(kind: QUARTER) { kind year number label start end }".into());
    }
    if parts.teams {
        fields.push("teams { id name manager { id } parent { id } }".into());
    }
    let params = if params.is_empty() {
        String::new()
    } else {
        format!("({})", params.join(", "))
    };
    format!("query HomeDay{params} {{ {} }}", fields.join(" "))
}

/// The second document: the forecast of each subject (`s0`, `s1`, …) for the period.
pub(crate) fn forecasts_query(subjects: usize, amounts: bool) -> String {
    let params: Vec<String> = (0..subjects)
        .map(|i| format!("$s{i}: ForecastSubjectInput!"))
        .collect();
    let fields: Vec<String> = (0..subjects)
        .map(|i| {
            format!(
                "f{i}: forecast(subject: $s{i}, period: $period) {{ {} }}",
                forecasts::forecast_fields(amounts)
            )
        })
        .collect();
    format!(
        "query HomeForecasts($period: PeriodInput!, {}) {{ {} }}",
        params.join(", "),
        fields.join(" ")
    )
}

/// The teams `me` manages whose parent team they do not also manage (a manager
/// of a team and its sub-teams sees the top one, rolled up).
pub fn managed_tops<'a>(teams: &'a [Team], me: &str) -> Vec<&'a Team> {
    let managed = |id: &str| {
        teams
            .iter()
            .any(|t| t.id == id && t.manager.as_deref() == Some(me))
    };
    teams
        .iter()
        .filter(|t| t.manager.as_deref() == Some(me))
        .filter(|t| !t.parent.as_deref().is_some_and(managed))
        .collect()
}

/// Everything the home page shows; a part not granted is `None`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Home {
    /// Open tasks by due time.
    pub tasks: Option<Vec<Entry>>,
    /// Today's calls, meetings and tasks.
    pub today: Option<Vec<Entry>>,
    pub stuck: Option<Vec<Deal>>,
    /// The current quarter.
    pub period: Option<Period>,
    /// The user's own forecast for the quarter (when they sell).
    pub mine: Option<Forecast>,
    /// The forecasts of the teams they manage.
    pub teams: Vec<Forecast>,
}

/// Loads the home page: `[from, to)` is today, `me` the user's id; `own` asks for
/// the user's own forecast.
pub async fn load(
    parts: Parts,
    me: &str,
    own: bool,
    from: &str,
    to: &str,
) -> Result<Home, ApiError> {
    let mut home = Home::default();
    let any = parts.activities || parts.deals || parts.forecast || parts.teams;
    if !any {
        return Ok(home);
    }
    let data = forecasts::read(&day_query(parts), json!({ "from": from, "to": to })).await?;
    if parts.activities {
        home.tasks = Some(json::list(&data, "myTasks"));
        home.today = Some(json::list(&data, "calendar"));
    }
    if parts.deals {
        home.stuck = Some(json::list(&data, "stuckOpportunities"));
    }
    let Some(period) = parts
        .forecast
        .then(|| json::object::<Period>(&data, "forecastPeriod"))
        .flatten()
    else {
        return Ok(home);
    };
    let teams: Vec<Team> = json::list(&data, "teams");
    let mut subjects: Vec<Subject> = managed_tops(&teams, me)
        .into_iter()
        .map(|t| Subject::Team(t.id.clone()))
        .collect();
    if own {
        subjects.insert(0, Subject::User(me.to_owned()));
    }
    if !subjects.is_empty() {
        let mut variables = Map::new();
        variables.insert("period".into(), period.input.to_json());
        for (i, s) in subjects.iter().enumerate() {
            variables.insert(format!("s{i}"), s.to_json());
        }
        let query = forecasts_query(subjects.len(), parts.amounts);
        let data = forecasts::read(&query, Value::Object(variables)).await?;
        let mut all: Vec<Forecast> = (0..subjects.len())
            .map(|i| Forecast::from_json(&data[format!("f{i}").as_str()]))
            .collect();
        if own {
            home.mine = Some(all.remove(0));
        }
        home.teams = all;
    }
    home.period = Some(period);
    Ok(home)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_ask_only_for_what_is_granted() {
        let none = day_query(Parts {
            deals: true,
            ..Parts::default()
        });
        assert!(none.contains("stuckOpportunities"));
        assert!(!none.contains("amount"), "{none}");
        assert!(
            !none.contains("myTasks") && !none.contains("$from"),
            "{none}"
        );
        let all = day_query(Parts {
            activities: true,
            deals: true,
            forecast: true,
            teams: true,
            amounts: true,
        });
        for part in [
            "myTasks",
            "calendar(from: $from, to: $to)",
            "amount { amount currency }",
            "forecastPeriod(kind: QUARTER)",
            "teams {",
        ] {
            assert!(all.contains(part), "{part}: {all}");
        }
        let two = forecasts_query(2, false);
        assert!(two.contains("$s1: ForecastSubjectInput!") && two.contains("f1: forecast("));
        assert!(!two.contains("figures"), "{two}");
        assert!(forecasts_query(1, true).contains("figures"));
    }

    #[test]
    fn a_manager_sees_the_top_teams_they_manage() {
        let team = |id: &str, manager: &str, parent: Option<&str>| Team {
            id: id.into(),
            name: id.into(),
            manager: Some(manager.into()),
            parent: parent.map(str::to_owned),
            children: Vec::new(),
        };
        let teams = [
            team("Sales", "boss", None),
            team("North", "M", Some("Sales")),
            team("North-East", "M", Some("North")),
            team("South", "other", Some("Sales")),
            team("Solo", "M", Some("South")),
        ];
        let tops: Vec<&str> = managed_tops(&teams, "M")
            .iter()
            .map(|t| t.id.as_str())
            .collect();
        assert_eq!(tops, ["North", "Solo"]);
        assert!(managed_tops(&teams, "rep").is_empty());
    }

    #[test]
    fn entries_name_their_records() {
        let task = Entry::from_json(&json!({
            "kind": "TASK", "subject": "Send the offer",
            "dueAt": "2026-12-01T09:00:00Z", "overdue": true,
            "links": [
                { "type": "OPPORTUNITY", "recordId": "O1", "opportunity": { "name": "Acme – Licences" } },
                { "type": "PARTY", "recordId": "P1", "party": { "displayName": "Acme Corporation" } },
                { "type": "PARTY", "recordId": "P2", "party": null }
            ]
        }));
        assert!(task.overdue);
        assert_eq!(task.when.as_deref(), Some("2026-12-01T09:00:00Z"));
        assert_eq!(
            task.records,
            [
                Linked {
                    href: "/opportunities/O1".into(),
                    name: "Acme – Licences".into()
                },
                Linked {
                    href: "/parties/P1".into(),
                    name: "Acme Corporation".into()
                },
            ]
        );
        let deal = Deal::from_json(&json!({
            "id": "O2", "name": "Big deal", "stage": { "name": "Proposal" },
            "owner": { "displayName": "Rita Rep" }, "account": null, "closeDate": "2026-12-20",
            "amount": null
        }));
        assert_eq!(deal.amount, None);
        assert_eq!(deal.account, None);
        assert_eq!(deal.stage, "Proposal");
    }
}
