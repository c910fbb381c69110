//! What a party carries: postal addresses, contact mechanisms, relationships, timeline entries and search hits.

use super::*;

/// A postal address.
#[derive(SimpleObject)]
pub struct PostalAddress {
    /// The addressee line ("Attn. Accounts payable").
    pub attention: Option<String>,
    pub street: Option<String>,
    pub city: Option<String>,
    pub postal_code: Option<String>,
    pub region: Option<String>,
    pub country: Option<String>,
}

/// A phone number's parts as entered (`+1 801 444-4444 ext. 12`: 1, 801, 444-4444, 12).
#[derive(SimpleObject)]
pub struct PhoneNumber {
    pub country_code: Option<String>,
    pub area_code: Option<String>,
    pub number: String,
    pub extension: Option<String>,
}

/// A way to reach a party.
pub struct ContactMechanism(pub cm::Model);

#[Object]
impl ContactMechanism {
    pub async fn id(&self) -> ID {
        to_global_id("ContactMechanism", self.0.id)
    }
    pub async fn kind(&self) -> ContactMechanismKind {
        ContactMechanismKind::parse(&self.0.kind).unwrap_or(ContactMechanismKind::Email)
    }
    /// The e-mail, phone number or URL, or the address on one line.
    pub async fn value(&self) -> &str {
        &self.0.value
    }
    /// The parts of a postal address.
    pub async fn address(&self) -> Option<PostalAddress> {
        (self.0.kind == ContactMechanismKind::PostalAddress.as_str()).then(|| PostalAddress {
            attention: self.0.attention.clone(),
            street: self.0.street.clone(),
            city: self.0.city.clone(),
            postal_code: self.0.postal_code.clone(),
            region: self.0.region.clone(),
            country: self.0.country.clone(),
        })
    }
    /// The parts of a phone number (only the digits and extension for numbers entered without
    /// separators).
    pub async fn phone_number(&self) -> Option<PhoneNumber> {
        if self.0.kind != ContactMechanismKind::Phone.as_str() {
            return None;
        }
        let m = &self.0;
        Some(match &m.phone_number {
            Some(number) => PhoneNumber {
                country_code: m.phone_country_code.clone(),
                area_code: m.phone_area_code.clone(),
                number: number.clone(),
                extension: m.phone_extension.clone(),
            },
            None => {
                let p = mechanisms::parts_of_normalised(&m.value);
                PhoneNumber {
                    country_code: None,
                    area_code: None,
                    number: p.number,
                    extension: p.extension,
                }
            }
        })
    }
    pub async fn purposes(&self) -> Vec<ContactPurpose> {
        mechanisms::purposes(&self.0)
    }
    /// `YYYY-MM-DD`.
    pub async fn valid_from(&self) -> Option<String> {
        self.0.valid_from.map(|d| d.to_string())
    }
    /// `YYYY-MM-DD`.
    pub async fn valid_to(&self) -> Option<String> {
        self.0.valid_to.map(|d| d.to_string())
    }
}

/// A tax id of a party.
pub struct TaxId(pub party_tax_ids::Model);

#[Object]
impl TaxId {
    pub async fn id(&self) -> ID {
        to_global_id("TaxId", self.0.id)
    }
    pub async fn kind(&self) -> TaxIdKind {
        TaxIdKind::parse(&self.0.kind).unwrap_or(TaxIdKind::Other)
    }
    /// ISO 3166-1 alpha-2 code of the issuing country.
    pub async fn country(&self) -> &str {
        &self.0.country
    }
    /// The number as entered.
    pub async fn value(&self) -> &str {
        &self.0.value
    }
}

/// A party's id in another system.
pub struct ExternalId(pub party_external_ids::Model);

#[Object]
impl ExternalId {
    pub async fn id(&self) -> ID {
        to_global_id("ExternalId", self.0.id)
    }
    /// The other system's key, lower-case (`erp`, `ofbiz`).
    pub async fn system(&self) -> &str {
        &self.0.system
    }
    /// The id in that system, as it writes it.
    pub async fn value(&self) -> &str {
        &self.0.value
    }
}

/// A relationship seen from one of its parties.
pub struct PartyRelationship {
    pub row: rel::Model,
    /// The party whose relationships are listed.
    pub viewer: uuid::Uuid,
}

#[Object]
impl PartyRelationship {
    pub async fn id(&self) -> ID {
        to_global_id("PartyRelationship", self.row.id)
    }
    /// The type, read from the `from` party to the `to` party (a value of the
    /// `RELATIONSHIP_TYPE` pick-list; an archived one stays on the relationships holding it).
    pub async fn relationship_type(&self, ctx: &Context<'_>) -> AppResult<PicklistValue> {
        let key = self.row.kind.as_str();
        Ok(
            picklists::graphql::choice(ctx, PicklistKey::RelationshipType, Some(key))
                .await?
                .unwrap_or_else(|| PicklistValue::unlisted(PicklistKey::RelationshipType, key)),
        )
    }
    #[graphql(
        deprecation = "Use `relationshipType`: types added to the pick-list read OTHER here."
    )]
    pub async fn kind(&self) -> RelationshipKind {
        RelationshipKind::of_key(&self.row.kind)
    }
    /// E.g. "decision maker".
    pub async fn role_label(&self) -> Option<&str> {
        self.row.role_label.as_deref()
    }
    /// Free text about the relationship.
    pub async fn comment(&self) -> Option<&str> {
        self.row.comment.as_deref()
    }
    /// `OUTGOING` when the listed party is the `from` end, else `INCOMING`.
    pub async fn direction(&self) -> &'static str {
        if self.row.from_party_id == self.viewer {
            "OUTGOING"
        } else {
            "INCOMING"
        }
    }
    /// The party at the other end (`null` if you may not see it).
    pub async fn other(&self, ctx: &Context<'_>) -> AppResult<Option<Party>> {
        let other = if self.row.from_party_id == self.viewer {
            self.row.to_party_id
        } else {
            self.row.from_party_id
        };
        let loader = ctx.data::<Loaded<PartyLoader>>()?;
        Ok(loader
            .load_one(other)
            .await
            .map_err(load_err)?
            .map(Party::from_model))
    }
    pub async fn valid_from(&self) -> Option<String> {
        self.row.valid_from.map(|d| d.to_string())
    }
    pub async fn valid_to(&self) -> Option<String> {
        self.row.valid_to.map(|d| d.to_string())
    }
}

/// One changed field.
#[derive(SimpleObject)]
pub struct FieldChange {
    pub field: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// Something that happened to a record, from the change log.
pub struct TimelineEntry(pub change_log::Model);

#[Object]
impl TimelineEntry {
    pub async fn id(&self) -> ID {
        ID(format!("log-{}", self.0.id))
    }
    /// When it happened.
    pub async fn at(&self) -> DateTime<Utc> {
        self.0.occurred_at
    }
    /// Who did it.
    pub async fn actor(&self, ctx: &Context<'_>) -> AppResult<Option<User>> {
        let Some(id) = self.0.actor_id else {
            return Ok(None);
        };
        let loader = ctx.data::<Loaded<UserLoader>>()?;
        Ok(loader.load_one(id).await.map_err(load_err)?.map(User))
    }
    /// `create`, `update`, `archive`, `restore`, `contact_mechanism_added`, `relationship_added`, …
    pub async fn action(&self) -> &str {
        &self.0.action
    }
    /// The changed fields you may see.
    pub async fn changes(&self, ctx: &Context<'_>) -> AppResult<Vec<FieldChange>> {
        let req = crate::kit::resolve::caller(ctx)?;
        let actor = req.actor()?;
        let changes = timeline::visible_changes(actor, &self.0);
        // Stage moves read as stage names, not ids.
        let stages = if changes.iter().any(|(f, _, _)| f == "stageId") {
            let state = crate::kit::resolve::state(ctx)?;
            let cell = ctx.data::<crate::domain::opportunities::loaders::CatalogCell>()?;
            Some(cell.get(&state.db).await?)
        } else {
            None
        };
        let name = |v: Option<String>| match (&stages, v) {
            (Some(cat), Some(id)) => uuid::Uuid::parse_str(&id)
                .ok()
                .and_then(|u| cat.stage(u))
                .map(|s| s.name.clone())
                .or(Some(id)),
            (_, v) => v,
        };
        Ok(changes
            .into_iter()
            .map(|(field, before, after)| {
                if field == "stageId" {
                    FieldChange {
                        field: "stage".into(),
                        before: name(before),
                        after: name(after),
                    }
                } else {
                    FieldChange {
                        field,
                        before,
                        after,
                    }
                }
            })
            .collect())
    }
}

/// A search result.
#[derive(SimpleObject)]
pub struct SearchHit {
    pub party: Party,
    /// Relevance; higher is better.
    pub rank: f64,
}

/// Whether the caller may read contact details (for services that mask them).
pub fn can_read_contacts(req: &RequestCtx) -> bool {
    req.actor()
        .map(|a| a.grants.can_read(CONTACT_FIELD))
        .unwrap_or(false)
}
