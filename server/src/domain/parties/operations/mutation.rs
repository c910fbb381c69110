//! Party mutations: people, organisations, contact mechanisms and relationships.

use super::*;

pub(super) async fn reload(ctx: &Context<'_>, id: Uuid) -> AppResult<Party> {
    let (state, req) = crate::kit::resolve::request(ctx)?;
    service::get(&state.db, req, id)
        .await?
        .map(Party::from_model)
        .ok_or_else(|| AppError::NotFound("no such party".into()))
}

/// Customer-master mutations.
#[derive(Default)]
pub struct PartyMutation;

#[Object]
impl PartyMutation {
    /// Creates a person (CONTACT by default), with contact mechanisms.
    async fn create_person(
        &self,
        ctx: &Context<'_>,
        input: CreatePersonInput,
    ) -> AppResult<PartyPayload> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let changes = PartyChanges {
            kind: Some(PartyKind::Person),
            fore_name: Some(input.fore_name),
            middle_initial: input.middle_initial,
            surname: Some(input.surname),
            code: input.code,
            area: input.area,
            owner_id: optional_user_id(input.owner_id, "ownerId")?,
            roles: Some(input.roles),
            role_keys: input.role_keys,
            customer_type: input.customer_type,
            payment_preference: input.payment_preference,
            preferred_currency: input.preferred_currency,
            mechanisms: input
                .contact_mechanisms
                .unwrap_or_default()
                .into_iter()
                .map(Into::into)
                .collect(),
            ..Default::default()
        };
        let m = service::create(state, req, changes).await?;
        Ok(m.into())
    }

    /// Updates a person at the version you read.
    async fn update_person(
        &self,
        ctx: &Context<'_>,
        input: UpdatePersonInput,
    ) -> AppResult<PartyPayload> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let id = expect_global_id(&input.id, "Person", "id")?;
        let changes = PartyChanges {
            fore_name: input.fore_name,
            middle_initial: input.middle_initial,
            surname: input.surname,
            code: input.code,
            area: input.area,
            owner_id: optional_user_id(input.owner_id, "ownerId")?,
            roles: input.roles,
            role_keys: input.role_keys,
            customer_type: input.customer_type,
            payment_preference: input.payment_preference,
            preferred_currency: input.preferred_currency,
            ..Default::default()
        };
        let m = service::update(state, req, id, input.version, PartyKind::Person, changes).await?;
        Ok(m.into())
    }

    /// Creates an organisation (ACCOUNT by default), with contact mechanisms.
    async fn create_organization(
        &self,
        ctx: &Context<'_>,
        input: CreateOrganizationInput,
    ) -> AppResult<PartyPayload> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let changes = PartyChanges {
            kind: Some(PartyKind::Organization),
            name: Some(input.name),
            code: input.code,
            area: input.area,
            industry: input.industry,
            website: input.website,
            owner_id: optional_user_id(input.owner_id, "ownerId")?,
            roles: Some(input.roles),
            role_keys: input.role_keys,
            customer_type: input.customer_type,
            preferred_currency: input.preferred_currency,
            mechanisms: input
                .contact_mechanisms
                .unwrap_or_default()
                .into_iter()
                .map(Into::into)
                .collect(),
            ..Default::default()
        };
        let m = service::create(state, req, changes).await?;
        Ok(m.into())
    }

    /// Updates an organisation at the version you read (an `Organization` or `Account` id).
    async fn update_organization(
        &self,
        ctx: &Context<'_>,
        input: UpdateOrganizationInput,
    ) -> AppResult<PartyPayload> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let id = party_id(&input.id, "id")?;
        let changes = PartyChanges {
            name: input.name,
            code: input.code,
            area: input.area,
            industry: input.industry,
            website: input.website,
            owner_id: optional_user_id(input.owner_id, "ownerId")?,
            roles: input.roles,
            role_keys: input.role_keys,
            customer_type: input.customer_type,
            preferred_currency: input.preferred_currency,
            ..Default::default()
        };
        let m = service::update(
            state,
            req,
            id,
            input.version,
            PartyKind::Organization,
            changes,
        )
        .await?;
        Ok(m.into())
    }

    /// Adds an e-mail, phone, address or web address to a party.
    async fn add_contact_mechanism(
        &self,
        ctx: &Context<'_>,
        input: AddContactMechanismInput,
    ) -> AppResult<ContactMechanismPayload> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let id = party_id(&input.party_id, "partyId")?;
        let party = mechanisms::add(state, req, id, input.mechanism.into()).await?;
        Ok(ContactMechanismPayload {
            party: reload(ctx, party).await?,
        })
    }

    /// Removes a contact mechanism.
    async fn remove_contact_mechanism(
        &self,
        ctx: &Context<'_>,
        input: RemoveContactMechanismInput,
    ) -> AppResult<ContactMechanismPayload> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let id = expect_global_id(&input.id, "ContactMechanism", "id")?;
        let party = mechanisms::remove(state, req, id).await?;
        Ok(ContactMechanismPayload {
            party: reload(ctx, party).await?,
        })
    }

    /// Adds a tax id to a party (needs the `party.taxIds` write grant).
    async fn add_tax_id(&self, ctx: &Context<'_>, input: AddTaxIdInput) -> AppResult<PartyPayload> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let id = party_id(&input.party_id, "partyId")?;
        let party =
            identifiers::add_tax_id(state, req, id, input.kind, &input.country, &input.value)
                .await?;
        Ok(PartyPayload {
            party: reload(ctx, party).await?,
        })
    }

    /// Removes a tax id.
    async fn remove_tax_id(
        &self,
        ctx: &Context<'_>,
        input: RemoveIdentifierInput,
    ) -> AppResult<PartyPayload> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let id = expect_global_id(&input.id, "TaxId", "id")?;
        let party = identifiers::remove_tax_id(state, req, id).await?;
        Ok(PartyPayload {
            party: reload(ctx, party).await?,
        })
    }

    /// Records a party's id in another system.
    async fn add_external_id(
        &self,
        ctx: &Context<'_>,
        input: AddExternalIdInput,
    ) -> AppResult<PartyPayload> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let id = party_id(&input.party_id, "partyId")?;
        let party =
            identifiers::add_external_id(state, req, id, &input.system, &input.value).await?;
        Ok(PartyPayload {
            party: reload(ctx, party).await?,
        })
    }

    /// Removes an external id.
    async fn remove_external_id(
        &self,
        ctx: &Context<'_>,
        input: RemoveIdentifierInput,
    ) -> AppResult<PartyPayload> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let id = expect_global_id(&input.id, "ExternalId", "id")?;
        let party = identifiers::remove_external_id(state, req, id).await?;
        Ok(PartyPayload {
            party: reload(ctx, party).await?,
        })
    }

    /// Links two parties.
    async fn add_relationship(
        &self,
        ctx: &Context<'_>,
        input: AddRelationshipInput,
    ) -> AppResult<RelationshipPayload> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let from = party_id(&input.from_id, "fromId")?;
        let to = party_id(&input.to_id, "toId")?;
        // A caller naming the deprecated `kind` reads its errors on `kind`.
        let by_kind = input.relationship_type.is_none() && input.kind.is_some();
        let kind = match (input.relationship_type, input.kind) {
            (Some(t), _) => t.trim().to_string(),
            (None, Some(k)) => k.key().ok_or_else(|| {
                AppError::bad_input("kind", "OTHER names no type: give relationshipType")
            })?,
            (None, None) => {
                return Err(AppError::bad_input(
                    "relationshipType",
                    "is required (a key of the RELATIONSHIP_TYPE pick-list)",
                ))
            }
        };
        let row = relationships::add(
            state,
            req,
            relationships::NewRelationship {
                from,
                to,
                kind,
                role_label: input.role_label,
                valid_from: input.valid_from,
                comment: input.comment,
            },
        )
        .await
        .map_err(|e| match e {
            AppError::BadInput(mut errors) if by_kind => {
                for f in errors.iter_mut().filter(|f| f.field == "relationshipType") {
                    f.field = "kind".into();
                }
                AppError::BadInput(errors)
            }
            other => other,
        })?;
        Ok(RelationshipPayload {
            relationship: PartyRelationship { row, viewer: from },
        })
    }

    /// Ends a relationship.
    async fn end_relationship(
        &self,
        ctx: &Context<'_>,
        input: EndRelationshipInput,
    ) -> AppResult<RelationshipPayload> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let id = expect_global_id(&input.id, "PartyRelationship", "id")?;
        let row = relationships::end(state, req, id, input.valid_to).await?;
        let viewer = row.from_party_id;
        Ok(RelationshipPayload {
            relationship: PartyRelationship { row, viewer },
        })
    }
}
