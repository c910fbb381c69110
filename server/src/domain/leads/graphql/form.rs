//! Web-to-lead forms and their submissions, with their inputs.

use super::*;

/// One field of a web form.
#[derive(SimpleObject)]
pub struct WebFormField {
    pub field: LeadFormField,
    /// The HTML input name (the lead field's API name).
    pub name: String,
    pub label: String,
    pub required: bool,
}

/// A web-to-lead form.
#[derive(Clone)]
pub struct WebForm(pub web_forms::Model);

#[Object]
impl WebForm {
    /// Global id (type `WebForm`).
    pub async fn id(&self) -> ID {
        to_global_id("WebForm", self.0.id)
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// The public key in the form's URL.
    async fn key(&self) -> &str {
        &self.0.form_key
    }
    async fn fields(&self) -> Vec<WebFormField> {
        forms::fields_of(&self.0)
            .into_iter()
            .filter_map(|f| {
                let kind = f.kind()?;
                Some(WebFormField {
                    field: kind,
                    name: kind.name().to_string(),
                    label: f.label,
                    required: f.required,
                })
            })
            .collect()
    }
    /// The list its leads join (when you may see it).
    async fn target_list(&self, ctx: &Context<'_>) -> AppResult<Option<ContactList>> {
        let Some(id) = self.0.target_list_id else {
            return Ok(None);
        };
        Ok(ctx
            .data::<Loaded<ContactListLoader>>()?
            .load_one(id)
            .await
            .map_err(|e| internal("contact lists", e))?
            .map(ContactList))
    }
    /// The lead source its leads get.
    /// A value of the `LEAD_SOURCE` pick-list (possibly archived since).
    async fn source(&self, ctx: &Context<'_>) -> AppResult<Option<PicklistValue>> {
        picklists::graphql::choice(ctx, PicklistKey::LeadSource, Some(&self.0.source)).await
    }
    /// The fixed owner of its leads (else the assignment rule decides, else the form's creator).
    async fn owner(&self, ctx: &Context<'_>) -> AppResult<Option<User>> {
        user(ctx, self.0.owner_id).await
    }
    async fn assignment_rule(&self, ctx: &Context<'_>) -> AppResult<Option<AssignmentRule>> {
        let Some(id) = self.0.assignment_rule_id else {
            return Ok(None);
        };
        Ok(ctx
            .data::<Loaded<RuleLoader>>()?
            .load_one(id)
            .await
            .map_err(|e| internal("assignment rules", e))?
            .map(AssignmentRule))
    }
    /// Where visitors go after a post (else a thank-you page).
    async fn redirect_url(&self) -> Option<&str> {
        self.0.redirect_url.as_deref()
    }
    async fn active(&self) -> bool {
        self.0.active
    }
    /// The form's public page and post target, from the site root.
    async fn public_url(&self) -> String {
        forms::public_path(&self.0.form_key)
    }
    /// The HTML to paste into a website.
    async fn snippet(&self, ctx: &Context<'_>) -> AppResult<String> {
        let base = ctx
            .data_opt::<crate::kit::web::PublicBase>()
            .map(|b| b.0.clone())
            .unwrap_or_default();
        Ok(forms::snippet(&base, &self.0))
    }
    async fn submission_count(&self, ctx: &Context<'_>) -> AppResult<i64> {
        Ok(ctx
            .data::<Loaded<SubmissionCountLoader>>()?
            .load_one(self.0.id)
            .await
            .map_err(|e| internal("submissions", e))?
            .unwrap_or(0))
    }
    /// Posts to the form, newest first.
    async fn submissions(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size, 1 to 100 (default 25).")] first: Option<i32>,
        after: Option<String>,
    ) -> AppResult<Connection<String, WebFormSubmission, TotalCount>> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let page = Page::new(first, after)?;
        let (rows, more) = forms::submissions(&state.db, req, self.0.id, &page).await?;
        let node = ctx.look_ahead().field("edges").field("node");
        prime::<LeadLoader>(
            ctx,
            node.field("lead").exists(),
            rows.iter().filter_map(|s| s.lead_id),
        )
        .await?;
        let (db, form) = (state.db.clone(), self.0.id);
        let total = TotalCount::lazy(move || {
            let db = db.clone();
            Box::pin(async move {
                Ok(forms::submission_counts(&db, &[form])
                    .await?
                    .get(&form)
                    .copied()
                    .unwrap_or(0) as u64)
            })
        });
        let mut conn = Connection::with_additional_fields(page.after.is_some(), more, total);
        conn.edges.extend(
            rows.into_iter()
                .map(|s| Edge::new(forms::submission_cursor(&s), WebFormSubmission(s))),
        );
        Ok(conn)
    }
    async fn version(&self) -> i32 {
        self.0.version
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}

/// One post to a web form.
pub struct WebFormSubmission(web_form_submissions::Model);

#[Object]
impl WebFormSubmission {
    async fn id(&self) -> ID {
        to_global_id("WebFormSubmission", self.0.id)
    }
    async fn received_at(&self) -> DateTime<Utc> {
        self.0.received_at
    }
    async fn outcome(&self) -> SubmissionOutcome {
        SubmissionOutcome::parse(&self.0.outcome).unwrap_or(SubmissionOutcome::Created)
    }
    /// The lead it made or joined, when you may see it.
    async fn lead(&self, ctx: &Context<'_>) -> AppResult<Option<Lead>> {
        let Some(id) = self.0.lead_id else {
            return Ok(None);
        };
        Ok(ctx
            .data::<Loaded<LeadLoader>>()?
            .load_one(id)
            .await
            .map_err(|e| internal("leads", e))?
            .map(Lead))
    }
}

/// A field of a form as given.
#[derive(InputObject)]
pub struct WebFormFieldInput {
    pub field: LeadFormField,
    /// Else a default label.
    pub label: Option<String>,
    #[graphql(default = false)]
    pub required: bool,
}

/// A new web form.
#[derive(InputObject)]
pub struct CreateWebFormInput {
    pub name: String,
    pub fields: Vec<WebFormFieldInput>,
    pub target_list_id: Option<ID>,
    /// The key of a value of the `LEAD_SOURCE` pick-list (default `web_form`).
    pub source: Option<String>,
    pub owner_id: Option<ID>,
    pub assignment_rule_id: Option<ID>,
    pub redirect_url: Option<String>,
    #[graphql(default = true)]
    pub active: bool,
}

/// Changes to a web form; `null` clears a reference.
#[derive(InputObject)]
pub struct UpdateWebFormInput {
    pub id: ID,
    pub version: i32,
    pub name: Option<String>,
    pub fields: Option<Vec<WebFormFieldInput>>,
    pub target_list_id: MaybeUndefined<ID>,
    /// The key of a value of the `LEAD_SOURCE` pick-list.
    pub source: Option<String>,
    pub owner_id: MaybeUndefined<ID>,
    pub assignment_rule_id: MaybeUndefined<ID>,
    pub redirect_url: Option<String>,
    pub active: Option<bool>,
}

/// The form after a mutation.
#[derive(SimpleObject)]
pub struct WebFormPayload {
    pub web_form: WebForm,
}
