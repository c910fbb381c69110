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
