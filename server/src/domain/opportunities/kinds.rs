//! The closed vocabularies of the pipeline, stored as their upper-case names.

use async_graphql::Enum;

stored_enum!(
    /// Where an opportunity stands.
    OpportunityStatus { Open => "OPEN", Won => "WON", Lost => "LOST" }
);

stored_enum!(
    /// What entering a stage means: still open, or closed as won or lost.
    StageOutcome { Open => "OPEN", Won => "WON", Lost => "LOST" }
);

stored_enum!(
    /// Where an opportunity counts in a forecast: won ones are `CLOSED`, lost ones `OMITTED`, open
    /// ones take their stage's category unless their owner overrides it.
    ForecastCategory {
        Pipeline => "PIPELINE",
        BestCase => "BEST_CASE",
        Commit => "COMMIT",
        Closed => "CLOSED",
        Omitted => "OMITTED",
    }
);

stored_enum!(
    /// The part a contact plays in the buying decision.
    ContactRole {
        DecisionMaker => "DECISION_MAKER",
        EconomicBuyer => "ECONOMIC_BUYER",
        TechnicalBuyer => "TECHNICAL_BUYER",
        Influencer => "INFLUENCER",
        Champion => "CHAMPION",
        User => "USER",
        Other => "OTHER",
    }
);

/// The `lead_source` pick-list values a new installation starts with (administrators add more on
/// Settings → Pick-lists): where a lead, and the deal it became, came from.
pub mod lead_source {
    pub const WEB_FORM: &str = "web_form";
    pub const CAMPAIGN: &str = "campaign";
    pub const TRADE_SHOW: &str = "trade_show";
    pub const DIRECT_MAIL: &str = "direct_mail";
    pub const REFERRAL: &str = "referral";
    pub const PHONE: &str = "phone";
    /// What a lead gets when nobody says.
    pub const OTHER: &str = "other";
    pub const ALL: [&str; 7] = [
        WEB_FORM,
        CAMPAIGN,
        TRADE_SHOW,
        DIRECT_MAIL,
        REFERRAL,
        PHONE,
        OTHER,
    ];
}

stored_enum!(
    /// The fields whose every change is kept in an opportunity's history.
    HistoryField {
        Stage => "STAGE",
        Amount => "AMOUNT",
        Probability => "PROBABILITY",
        CloseDate => "CLOSE_DATE",
    }
);
