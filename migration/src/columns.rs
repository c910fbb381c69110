//! Column and index helpers the migrations share: one line a column, nullability spelled out.
use sea_orm_migration::prelude::*;

pub fn id(c: impl IntoIden) -> ColumnDef {
    ColumnDef::new(c).uuid().not_null().primary_key().to_owned()
}

pub fn uuid(c: impl IntoIden, null: bool) -> ColumnDef {
    let mut d = ColumnDef::new(c);
    d.uuid();
    if null {
        d.null();
    } else {
        d.not_null();
    }
    d
}

pub fn text(c: impl IntoIden, len: u32, null: bool) -> ColumnDef {
    let mut d = ColumnDef::new(c);
    d.string_len(len);
    if null {
        d.null();
    } else {
        d.not_null();
    }
    d
}

pub fn long_text(c: impl IntoIden) -> ColumnDef {
    ColumnDef::new(c).text().null().to_owned()
}

pub fn big(c: impl IntoIden, null: bool) -> ColumnDef {
    let mut d = ColumnDef::new(c);
    d.big_integer();
    if null {
        d.null();
    } else {
        d.not_null();
    }
    d
}

pub fn int(c: impl IntoIden) -> ColumnDef {
    ColumnDef::new(c).integer().not_null().to_owned()
}

pub fn at(c: impl IntoIden, null: bool) -> ColumnDef {
    let mut d = ColumnDef::new(c);
    d.timestamp_with_time_zone();
    if null {
        d.null();
    } else {
        d.not_null();
    }
    d
}

pub fn date(c: impl IntoIden, null: bool) -> ColumnDef {
    let mut d = ColumnDef::new(c);
    d.date();
    if null {
        d.null();
    } else {
        d.not_null();
    }
    d
}

pub fn flag(c: impl IntoIden) -> ColumnDef {
    ColumnDef::new(c).boolean().not_null().to_owned()
}

pub async fn index(
    m: &SchemaManager<'_>,
    name: &str,
    table: impl IntoIden,
    cols: Vec<DynIden>,
    unique: bool,
) -> Result<(), DbErr> {
    let mut i = Index::create();
    i.name(name).table(table);
    for c in cols {
        i.col(c);
    }
    if unique {
        i.unique();
    }
    m.create_index(i.to_owned()).await
}

#[derive(DeriveIden)]
enum PicklistValues {
    Table,
    Id,
    List,
    Key,
    Label,
    Position,
    CreatedAt,
    UpdatedAt,
}

/// Adds `values` (key, label) to the pick-list `list`, in that order from `first` on (1 = first).
pub async fn picklist_values(
    m: &SchemaManager<'_>,
    list: &str,
    first: i32,
    values: &[(&str, &str)],
) -> Result<(), DbErr> {
    let now = chrono::Utc::now();
    let mut insert = Query::insert();
    insert.into_table(PicklistValues::Table).columns([
        PicklistValues::Id,
        PicklistValues::List,
        PicklistValues::Key,
        PicklistValues::Label,
        PicklistValues::Position,
        PicklistValues::CreatedAt,
        PicklistValues::UpdatedAt,
    ]);
    for (i, (key, label)) in values.iter().enumerate() {
        insert.values_panic([
            uuid::Uuid::new_v4().into(),
            list.into(),
            (*key).into(),
            (*label).into(),
            (first + i as i32).into(),
            now.into(),
            now.into(),
        ]);
    }
    m.exec_stmt(insert).await
}
