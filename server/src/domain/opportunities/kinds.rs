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

stored_enum!(
    /// Where a lead (and the opportunity it became) came from.
    LeadSource {
        WebForm => "WEB_FORM",
        Campaign => "CAMPAIGN",
        TradeShow => "TRADE_SHOW",
        DirectMail => "DIRECT_MAIL",
        Referral => "REFERRAL",
        Phone => "PHONE",
        Other => "OTHER",
    }
);

stored_enum!(
    /// The fields whose every change is kept in an opportunity's history.
    HistoryField {
        Stage => "STAGE",
        Amount => "AMOUNT",
        Probability => "PROBABILITY",
        CloseDate => "CLOSE_DATE",
    }
);
