//! Public posts to web forms: reading the post, spam, validation, duplicates, new leads, and the submissions list.

use super::*;

pub(super) const SUB_ORDERING: &str = "SUBMISSION_RECEIVED_DESC";

/// The cursor of a submission.
pub fn submission_cursor(s: &subs::Model) -> String {
    Cursor {
        o: SUB_ORDERING.into(),
        k: SortValue::Time(s.received_at),
        id: s.id,
    }
    .encode()
}

/// A page of a form's submissions, newest first (readers of forms).
pub async fn submissions(
    db: &impl ConnectionTrait,
    ctx: &RequestCtx,
    form: Uuid,
    page: &Page,
) -> AppResult<(Vec<subs::Model>, bool)> {
    policy::authorize(ctx, WEB_FORM, Action::Read)?;
    db::newest_first(
        db,
        subs::Entity::find().filter(subs::Column::FormId.eq(form)),
        subs::Column::ReceivedAt,
        subs::Column::Id,
        SUB_ORDERING,
        page,
    )
    .await
}

/// How many submissions each form has.
pub async fn submission_counts(
    db: &impl ConnectionTrait,
    forms: &[Uuid],
) -> AppResult<HashMap<Uuid, i64>> {
    let rows: Vec<(Uuid, i64)> = subs::Entity::find()
        .select_only()
        .column(subs::Column::FormId)
        .column_as(subs::Column::Id.count(), "n")
        .filter(subs::Column::FormId.is_in(forms.iter().copied()))
        .group_by(subs::Column::FormId)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows.into_iter().collect())
}

/// The active form with this public key.
pub async fn by_key(db: &impl ConnectionTrait, key: &str) -> AppResult<Option<web_forms::Model>> {
    Ok(web_forms::Entity::find()
        .filter(web_forms::Column::FormKey.eq(key))
        .filter(web_forms::Column::Active.eq(true))
        .one(db)
        .await?)
}

/// What became of a public post.
#[derive(Debug)]
pub enum Submitted {
    /// Taken (a new lead, a duplicate, or dropped as spam): the page to send the visitor to.
    Accepted { redirect: Option<String> },
    /// Refused: every bad field, and the form's fields to show it again.
    Invalid(Vec<FieldError>, Vec<FormField>),
    /// No active form has this key.
    NotFound,
}

/// Validates a post against the form's fields: required ones present, each as its kind requires.
pub fn read_post(
    fields: &[FormField],
    data: &HashMap<String, String>,
) -> Result<LeadValues, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut values = LeadValues::default();
    for f in fields {
        let Some(kind) = f.kind() else { continue };
        let raw = data
            .get(kind.name())
            .map(String::as_str)
            .unwrap_or_default();
        match service::check_field("", kind, raw) {
            Ok(None) if f.required => errors.push(FieldError::new(kind.name(), "is required")),
            Ok(v) => values.set(kind, v),
            Err(e) => errors.push(e),
        }
    }
    if errors.is_empty() && values.surname.is_none() && values.organization_name.is_none() {
        errors.push(FieldError::new(
            "surname",
            "give a surname or an organisation name",
        ));
    }
    if errors.is_empty() {
        Ok(values)
    } else {
        Err(errors)
    }
}

pub(super) async fn record(
    txn: &impl ConnectionTrait,
    form: Uuid,
    outcome: SubmissionOutcome,
    lead: Option<Uuid>,
) -> AppResult<()> {
    subs::ActiveModel::from(subs::Model {
        id: Uuid::new_v4(),
        form_id: form,
        received_at: db::now(),
        outcome: outcome.as_str().to_string(),
        lead_id: lead,
    })
    .insert(txn)
    .await?;
    Ok(())
}

/// Takes a public post to the form with `key` (no signed-in user): honeypot posts are recorded as
/// spam and dropped; a post whose e-mail an open lead holds joins that lead; any other valid post
/// creates a lead owned by the form's owner, else its rule's pick, else the form's creator.
pub async fn submit(
    state: &AppState,
    key: &str,
    data: &HashMap<String, String>,
) -> AppResult<Submitted> {
    let Some(form) = by_key(&state.db, key).await? else {
        return Ok(Submitted::NotFound);
    };
    let accepted = Submitted::Accepted {
        redirect: form.redirect_url.clone(),
    };
    if data.get(HONEYPOT).is_some_and(|v| !v.trim().is_empty()) {
        let w = Write::begin(state, None).await?;
        record(w.txn(), form.id, SubmissionOutcome::Spam, None).await?;
        w.commit().await?;
        return Ok(accepted);
    }
    let fields = fields_of(&form);
    let values = match read_post(&fields, data) {
        Ok(v) => v,
        Err(e) => return Ok(Submitted::Invalid(e, fields)),
    };
    let lists: Vec<Uuid> = form.target_list_id.into_iter().collect();
    let mut w = Write::begin(state, None).await?;
    let existing = match &values.email {
        Some(e) => service::open_lead_with_email(w.txn(), e).await?,
        None => None,
    };
    let event = match existing {
        Some(lead) => {
            for l in &lists {
                lists::add_member_in(w.txn(), None, *l, lead.party.id).await?;
            }
            record(
                w.txn(),
                form.id,
                SubmissionOutcome::Duplicate,
                Some(lead.party.id),
            )
            .await?;
            let cursor = changelog::record(
                w.txn(),
                None,
                service::OBJECT,
                lead.party.id,
                "web_form_submission",
                json!({"webForm": {"before": null, "after": form.name}}),
            )
            .await?;
            ChangeEvent::new(
                cursor,
                service::OBJECT,
                lead.party.id,
                "web_form_submission",
            )
        }
        None => {
            let picked = match (form.owner_id, form.assignment_rule_id) {
                (Some(o), _) => Some(o),
                (None, Some(r)) => {
                    assignment::pick_owner(w.txn(), r, values.area.as_deref()).await?
                }
                (None, None) => None,
            };
            let owner = picked.or(form.created_by).ok_or_else(|| {
                AppError::internal(anyhow::anyhow!("web form {} has no owner", form.id))
            })?;
            let (row, event): (LeadRow, ChangeEvent) = service::insert_in(
                w.txn(),
                None,
                NewLead {
                    values,
                    source: form.source.clone(),
                    owner,
                    web_form_id: Some(form.id),
                    list_ids: lists,
                },
            )
            .await?;
            record(
                w.txn(),
                form.id,
                SubmissionOutcome::Created,
                Some(row.party.id),
            )
            .await?;
            event
        }
    };
    w.adopt(event);
    w.commit().await?;
    Ok(accepted)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(field: LeadFormField, required: bool) -> FormField {
        FormField {
            field: field.as_str().into(),
            label: field.default_label().into(),
            required,
        }
    }

    #[test]
    fn posts_are_checked_against_the_form() {
        let fields = [
            f(LeadFormField::Surname, true),
            f(LeadFormField::Email, true),
            f(LeadFormField::Phone, false),
        ];
        let mut data = HashMap::new();
        data.insert("surname".to_string(), "Doe".to_string());
        data.insert("email".to_string(), "not-an-email".to_string());
        data.insert("shoeSize".to_string(), "44".to_string());
        let e = read_post(&fields, &data).err().unwrap_or_default();
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].field, "email");
        data.insert("email".to_string(), "Jo@Example.org".to_string());
        let v = read_post(&fields, &data).unwrap_or_default();
        assert_eq!(v.email.as_deref(), Some("Jo@Example.org"));
        data.remove("surname");
        let e = read_post(&fields, &data).err().unwrap_or_default();
        assert_eq!(e[0].field, "surname");
    }

    #[test]
    fn the_snippet_escapes_labels_and_hides_the_honeypot() {
        let mut field = f(LeadFormField::Email, true);
        field.label = "E-mail <b>".into();
        let m = web_forms::Model {
            id: Uuid::nil(),
            name: "x".into(),
            form_key: "abc".into(),
            fields: serde_json::to_string(&vec![field]).unwrap_or_default(),
            target_list_id: None,
            source: "web_form".into(),
            owner_id: None,
            assignment_rule_id: None,
            redirect_url: None,
            active: true,
            version: 1,
            created_at: db::now(),
            updated_at: db::now(),
            created_by: None,
        };
        let s = snippet("https://crm.example.com/", &m);
        assert!(s.contains("action=\"https://crm.example.com/public/forms/abc\""));
        assert!(s.contains("E-mail &lt;b&gt; *"));
        assert!(s.contains("type=\"email\" name=\"email\""));
        assert!(s.contains("name=\"nickname\" tabindex=\"-1\""));
    }
}
