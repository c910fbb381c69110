//! Contact lists: members within row scope, versions and archiving.

use super::*;

// ---------------------------------------------------------------------------------------------
// Contact lists
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn contact_lists_hold_leads_and_people_within_row_scope() {
    let app = TestApp::new().await;
    let rep = app.login("rep@demo.crm").await;
    let rep2 = app.login("rep2@demo.crm").await;
    let south = app.login("rep3@demo.crm").await;
    let manager = app.login("manager@demo.crm").await;
    let read_only = app.login("readonly@demo.crm").await;
    let a = create_lead(&app, &rep, json!({"surname": "Listmine"})).await;
    let b = create_lead(&app, &rep2, json!({"surname": "Listteam"})).await;
    let c = create_lead(&app, &south, json!({"surname": "Listsouth"})).await;
    let wile = app
        .ok(
            &rep,
            "{ contacts(filter: {search: \"Coyote\"}) { nodes { id displayName } } }",
            json!({}),
        )
        .await["contacts"]["nodes"][0]
        .clone();
    assert_eq!(wile["displayName"], "Wile Coyote");

    let list = app
        .ok(
            &rep,
            CREATE_LIST,
            json!({"i": {"name": "Spring mailing", "description": "for the spring"}}),
        )
        .await["createContactList"]["contactList"]
        .clone();
    assert_eq!(
        (list["kind"].clone(), list["memberCount"].clone()),
        (json!("STATIC"), json!(0))
    );
    assert_eq!(list["owner"]["email"], "rep@demo.crm");
    let d = app
        .ok(
            &rep,
            ADD_MEMBERS,
            json!({"l": list["id"], "p": [a["id"], b["id"], wile["id"]]}),
        )
        .await;
    assert_eq!(d["addContactListMembers"]["contactList"]["memberCount"], 3);
    let d = app.ok(&rep, LIST, json!({"id": list["id"]})).await;
    let l = &d["contactList"];
    assert_eq!(
        (l["memberCount"].clone(), l["members"]["totalCount"].clone()),
        (json!(3), json!(3))
    );
    let members = l["members"]["nodes"].as_array().unwrap();
    assert!(members
        .iter()
        .all(|m| m["consentStatus"] == "UNKNOWN" && m["addedAt"].is_string()));
    let lead_ids: BTreeSet<String> = members
        .iter()
        .filter_map(|m| m["lead"]["id"].as_str().map(str::to_string))
        .collect();
    assert_eq!(
        lead_ids,
        BTreeSet::from([
            a["id"].as_str().unwrap().to_string(),
            b["id"].as_str().unwrap().to_string()
        ])
    );
    let person = members.iter().find(|m| m["lead"].is_null()).unwrap();
    assert_eq!(person["party"]["displayName"], "Wile Coyote");
    // The lead knows its lists, and the lead list filters by list.
    let la = lead(&app, &rep, &a["id"]).await;
    assert_eq!(strings(&la["contactLists"], "name"), ["Spring mailing"]);
    let d = app
        .ok(
            &rep,
            "query($l: ID) { leads(filter: {listId: $l}) { totalCount } }",
            json!({"l": list["id"]}),
        )
        .await;
    assert_eq!(d["leads"]["totalCount"], 2);
    // Removing a member.
    let d = app
        .ok(&rep, "mutation($l: ID!, $p: [ID!]!) { removeContactListMembers(input: {listId: $l, partyIds: $p}) { contactList { memberCount } } }",
            json!({"l": list["id"], "p": [b["id"]]}))
        .await;
    assert_eq!(
        d["removeContactListMembers"]["contactList"]["memberCount"],
        2
    );
    assert!(lead(&app, &rep2, &b["id"]).await["contactLists"]
        .as_array()
        .unwrap()
        .is_empty());
    // A lead the rep cannot see cannot be added.
    let members_before = app.count_rows("contact_list_members").await;
    let r = app
        .gql(
            Some(&rep),
            ADD_MEMBERS,
            json!({"l": list["id"], "p": [c["id"]]}),
        )
        .await;
    assert!(!codes(&r).is_empty(), "{r}");
    assert_eq!(app.count_rows("contact_list_members").await, members_before);
    // Renames carry the version; archived lists leave the default list.
    let upd = "mutation($i: UpdateContactListInput!) { updateContactList(input: $i) { contactList { name version } } }";
    let d = app
        .ok(&rep, upd, json!({"i": {"id": list["id"], "version": list["version"], "name": "Spring mailing 2027"}}))
        .await;
    let v = d["updateContactList"]["contactList"]["version"].clone();
    assert_ne!(v, list["version"]);
    let r = app
        .gql(
            Some(&rep),
            upd,
            json!({"i": {"id": list["id"], "version": list["version"], "name": "Stale"}}),
        )
        .await;
    assert_eq!(codes(&r), vec!["CONFLICT"], "{r}");
    app.ok(
        &rep,
        upd,
        json!({"i": {"id": list["id"], "version": v, "name": "Spring mailing"}}),
    )
    .await;
    // Read-only reads lists, but does not change them.
    let d = app.ok(&read_only, LIST, json!({"id": list["id"]})).await;
    assert_eq!(d["contactList"]["memberCount"], 2);
    let r = app
        .gql(
            Some(&read_only),
            CREATE_LIST,
            json!({"i": {"name": "Nope"}}),
        )
        .await;
    assert_eq!(codes(&r), vec!["FORBIDDEN"]);

    // Another team's list is out of the rep's reach.
    let theirs = app
        .ok(&south, CREATE_LIST, json!({"i": {"name": "South secrets"}}))
        .await["createContactList"]["contactList"]
        .clone();
    let d = app
        .ok(&rep, "query($id: ID!) { contactList(id: $id) { id } node(id: $id) { id } contactLists(first: 100) { totalCount nodes { id name } } }",
            json!({"id": theirs["id"]}))
        .await;
    assert!(d["contactList"].is_null() && d["node"].is_null(), "{d}");
    let names = strings(&d["contactLists"]["nodes"], "name");
    assert!(
        names.contains(&"Spring mailing".to_string())
            && !names.contains(&"South secrets".to_string()),
        "{names:?}"
    );
    assert_eq!(d["contactLists"]["totalCount"], json!(names.len()));

    // A lead's lists are those the reader may see: a South-owned list holding it stays hidden.
    let sam = app.user_id(&manager, "rep3@demo.crm").await;
    let south_owned = app
        .ok(
            &manager,
            CREATE_LIST,
            json!({"i": {"name": "South owned", "ownerId": sam}}),
        )
        .await["createContactList"]["contactList"]
        .clone();
    app.ok(
        &manager,
        ADD_MEMBERS,
        json!({"l": south_owned["id"], "p": [a["id"]]}),
    )
    .await;
    assert_eq!(
        strings(
            &lead(&app, &manager, &a["id"]).await["contactLists"],
            "name"
        )
        .into_iter()
        .collect::<BTreeSet<_>>(),
        BTreeSet::from(["South owned".to_string(), "Spring mailing".to_string()])
    );
    assert_eq!(
        strings(&lead(&app, &rep, &a["id"]).await["contactLists"], "name"),
        ["Spring mailing"]
    );

    // A list the rep may see, holding a member the rep may not: that member is neither listed nor counted.
    let rita = app.user_id(&manager, "rep@demo.crm").await;
    let mixed = app
        .ok(
            &manager,
            CREATE_LIST,
            json!({"i": {"name": "Mixed", "ownerId": rita}}),
        )
        .await["createContactList"]["contactList"]
        .clone();
    app.ok(
        &manager,
        ADD_MEMBERS,
        json!({"l": mixed["id"], "p": [a["id"], c["id"]]}),
    )
    .await;
    let d = app.ok(&manager, LIST, json!({"id": mixed["id"]})).await;
    assert_eq!(d["contactList"]["memberCount"], 2);
    let d = app.ok(&rep, LIST, json!({"id": mixed["id"]})).await;
    let l = &d["contactList"];
    assert_eq!(
        (l["memberCount"].clone(), l["members"]["totalCount"].clone()),
        (json!(1), json!(1)),
        "{l}"
    );
    assert_eq!(l["members"]["nodes"][0]["lead"]["id"], a["id"]);
    let d = app
        .ok(
            &rep,
            "query($l: ID) { leads(filter: {listId: $l}) { totalCount nodes { id } } }",
            json!({"l": mixed["id"]}),
        )
        .await;
    assert_eq!(d["leads"]["totalCount"], 1);
    // Archiving: a rep may not; a manager may, and the list leaves the default listing.
    let archive = "mutation($i: SetContactListArchivedInput!) { setContactListArchived(input: $i) { contactList { archived } } }";
    let input = json!({"i": {"id": mixed["id"], "version": mixed["version"], "archived": true}});
    assert_eq!(
        codes(&app.gql(Some(&rep), archive, input.clone()).await),
        vec!["FORBIDDEN"]
    );
    let d = app.ok(&manager, archive, input).await;
    assert_eq!(d["setContactListArchived"]["contactList"]["archived"], true);
    let listed = |incl: bool| {
        let (app, rep) = (&app, &rep);
        async move {
            let d = app
                .ok(rep, "query($a: Boolean) { contactLists(first: 100, includeArchived: $a) { nodes { name } } }", json!({"a": incl}))
                .await;
            strings(&d["contactLists"]["nodes"], "name")
        }
    };
    assert!(!listed(false).await.contains(&"Mixed".to_string()));
    assert!(listed(true).await.contains(&"Mixed".to_string()));
}
