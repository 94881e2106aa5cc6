//! A row written to CSV straight from its `Serialize` struct, without building a JSON value
//! first (exporting a million customers spent half its time in `serde_json::to_value`).
//! The cells are those of the JSON path ([`super::csv_cell`] of the masked value): the same
//! masking, neutralising and column order. A row that holds a record (a nested struct or
//! map, an enum variant with data) or a value JSON has no plain form for is declined
//! ([`CsvRow::fill`] is `false`) and goes the JSON way.
//!
//! The masking and neutralising are only noted here ([`Finish`]): the thread that writes
//! the CSV does them, so that the thread that reads the rows does less.

use std::fmt::{self, Display, Write as _};

use serde::ser::{self, Impossible, Serialize, SerializeMap, SerializeSeq, SerializeStruct};

use super::{neutralise_formula, personal_kind, Masker};

/// What is still to be done to a cell before it is written.
#[derive(Debug, Clone, Copy)]
pub(super) enum Finish {
    /// Nothing: a number, never neutralised (`-2`).
    Keep,
    /// Text a spreadsheet could take for a formula gets its `'` ([`neutralise_formula`]).
    Neutralise,
    /// Personal text is masked first, then neutralised.
    Mask(Masker),
}

impl Finish {
    /// Does to `cell` what is left to do.
    pub(super) fn apply(self, cell: &mut String) {
        match self {
            Finish::Keep => return,
            Finish::Neutralise => {}
            Finish::Mask(mask) => *cell = mask(cell),
        }
        if let std::borrow::Cow::Owned(neutralised) = neutralise_formula(cell) {
            *cell = neutralised;
        }
    }
}

/// The cells of one row, reused from row to row: the field names in the order the row
/// gave them, how each is masked, and their cells with what is left to do to them.
#[derive(Default)]
pub(super) struct CsvRow {
    names: Vec<String>,
    personal: Vec<Option<Masker>>,
    cells: Vec<String>,
    finishes: Vec<Finish>,
    len: usize,
    mask: bool,
}

impl CsvRow {
    /// A row buffer; `mask` hides personal fields ([`personal_kind`]).
    pub(super) fn new(mask: bool) -> CsvRow {
        CsvRow {
            mask,
            ..CsvRow::default()
        }
    }

    /// Takes the cells of `row`; `false` when the row is not flat (see the module).
    pub(super) fn fill<T: Serialize + ?Sized>(&mut self, row: &T) -> bool {
        self.len = 0;
        row.serialize(RowSer { row: self }).is_ok()
    }

    /// The cells in the order of `columns`, for the writer to take and finish: a column the
    /// row lacks is empty, and of a name given twice the last cell counts (as in a JSON
    /// object).
    pub(super) fn ordered(&mut self, columns: &[String]) -> (&mut [String], &[Finish]) {
        let names = &self.names[..self.len];
        if names != columns {
            let (cells, finishes) = columns
                .iter()
                .map(|column| match names.iter().rposition(|n| n == column) {
                    Some(at) => (self.cells[at].clone(), self.finishes[at]),
                    None => (String::new(), Finish::Keep),
                })
                .unzip();
            self.names = columns.to_vec();
            self.personal = columns.iter().map(|c| personal_kind(c)).collect();
            self.cells = cells;
            self.finishes = finishes;
            self.len = columns.len();
        }
        (&mut self.cells[..self.len], &self.finishes[..self.len])
    }

    /// Serializes one field into its cell, noting what [`super::csv_cell`] would do more.
    fn field<T: Serialize + ?Sized>(&mut self, key: &str, value: &T) -> Result<(), Declined> {
        if self.len == self.names.len() {
            self.names.push(String::new());
            self.personal.push(None);
            self.cells.push(String::new());
            self.finishes.push(Finish::Keep);
        }
        let at = self.len;
        self.len += 1;
        if self.names[at] != key {
            self.names[at].clear();
            self.names[at].push_str(key);
            self.personal[at] = personal_kind(key);
        }
        let cell = &mut self.cells[at];
        cell.clear();
        self.finishes[at] = match value.serialize(CellSer { out: cell })? {
            Kind::Number => Finish::Keep,
            Kind::Text if self.mask => self.personal[at].map_or(Finish::Neutralise, Finish::Mask),
            Kind::Text | Kind::Other => Finish::Neutralise,
        };
        Ok(())
    }
}

/// Why a row goes the JSON way instead.
#[derive(Debug)]
struct Declined;

impl Display for Declined {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a row that is not flat")
    }
}

impl std::error::Error for Declined {}

impl ser::Error for Declined {
    fn custom<M: Display>(_: M) -> Declined {
        Declined
    }
}

/// What JSON would have made of a cell: a string (masked when personal), a number (never
/// neutralised), or anything else (a boolean, null, a list joined with commas).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Text,
    Number,
    Other,
}

/// The row itself: a struct, or a map (a struct with a flattened part).
struct RowSer<'r> {
    row: &'r mut CsvRow,
}

/// The cell of one field, or (`list`) one item of a list, written to `out`.
struct CellSer<'o> {
    out: &'o mut String,
}

/// A list's items, joined with commas in one cell.
struct ListSer<'o> {
    out: &'o mut String,
    first: bool,
}

/// A map's key, which must be a string.
struct KeySer<'k> {
    key: &'k mut String,
}

macro_rules! decline {
    ($($method:ident($($arg:ty),*) -> $ok:ty;)*) => {
        $(fn $method(self, $(_: $arg),*) -> Result<$ok, Declined> {
            Err(Declined)
        })*
    };
}

/// The declined compound forms of a serializer whose result is `$ok`.
macro_rules! decline_compounds {
    ($ok:ty) => {
        type SerializeTupleVariant = Impossible<$ok, Declined>;
        type SerializeStructVariant = Impossible<$ok, Declined>;
        fn serialize_newtype_variant<T: Serialize + ?Sized>(
            self,
            _: &'static str,
            _: u32,
            _: &'static str,
            _: &T,
        ) -> Result<$ok, Declined> {
            Err(Declined)
        }
        decline! {
            serialize_f32(f32) -> $ok;
            serialize_i128(i128) -> $ok;
            serialize_u128(u128) -> $ok;
            serialize_bytes(&[u8]) -> $ok;
            serialize_tuple_variant(&'static str, u32, &'static str, usize) -> Self::SerializeTupleVariant;
            serialize_struct_variant(&'static str, u32, &'static str, usize) -> Self::SerializeStructVariant;
        }
    };
}

impl<'r> ser::Serializer for RowSer<'r> {
    type Ok = ();
    type Error = Declined;
    type SerializeSeq = Impossible<(), Declined>;
    type SerializeTuple = Impossible<(), Declined>;
    type SerializeTupleStruct = Impossible<(), Declined>;
    type SerializeMap = MapSer<'r>;
    type SerializeStruct = Self;
    decline_compounds!(());
    decline! {
        serialize_bool(bool) -> ();
        serialize_i8(i8) -> ();
        serialize_i16(i16) -> ();
        serialize_i32(i32) -> ();
        serialize_i64(i64) -> ();
        serialize_u8(u8) -> ();
        serialize_u16(u16) -> ();
        serialize_u32(u32) -> ();
        serialize_u64(u64) -> ();
        serialize_f64(f64) -> ();
        serialize_char(char) -> ();
        serialize_str(&str) -> ();
        serialize_none() -> ();
        serialize_unit() -> ();
        serialize_unit_struct(&'static str) -> ();
        serialize_unit_variant(&'static str, u32, &'static str) -> ();
        serialize_seq(Option<usize>) -> Self::SerializeSeq;
        serialize_tuple(usize) -> Self::SerializeTuple;
        serialize_tuple_struct(&'static str, usize) -> Self::SerializeTupleStruct;
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Declined> {
        value.serialize(self)
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), Declined> {
        value.serialize(self)
    }

    fn serialize_map(self, _: Option<usize>) -> Result<MapSer<'r>, Declined> {
        Ok(MapSer {
            row: self.row,
            key: String::new(),
        })
    }

    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self, Declined> {
        Ok(self)
    }
}

impl SerializeStruct for RowSer<'_> {
    type Ok = ();
    type Error = Declined;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Declined> {
        self.row.field(key, value)
    }

    fn end(self) -> Result<(), Declined> {
        Ok(())
    }
}

/// A row serialized as a map: its keys, then their values.
struct MapSer<'r> {
    row: &'r mut CsvRow,
    key: String,
}

impl SerializeMap for MapSer<'_> {
    type Ok = ();
    type Error = Declined;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Declined> {
        self.key.clear();
        key.serialize(KeySer { key: &mut self.key })
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Declined> {
        self.row.field(&self.key, value)
    }

    fn end(self) -> Result<(), Declined> {
        Ok(())
    }
}

impl ser::Serializer for KeySer<'_> {
    type Ok = ();
    type Error = Declined;
    type SerializeSeq = Impossible<(), Declined>;
    type SerializeTuple = Impossible<(), Declined>;
    type SerializeTupleStruct = Impossible<(), Declined>;
    type SerializeMap = Impossible<(), Declined>;
    type SerializeStruct = Impossible<(), Declined>;
    decline_compounds!(());
    decline! {
        serialize_bool(bool) -> ();
        serialize_i8(i8) -> ();
        serialize_i16(i16) -> ();
        serialize_i32(i32) -> ();
        serialize_i64(i64) -> ();
        serialize_u8(u8) -> ();
        serialize_u16(u16) -> ();
        serialize_u32(u32) -> ();
        serialize_u64(u64) -> ();
        serialize_f64(f64) -> ();
        serialize_char(char) -> ();
        serialize_none() -> ();
        serialize_unit() -> ();
        serialize_unit_struct(&'static str) -> ();
        serialize_seq(Option<usize>) -> Self::SerializeSeq;
        serialize_tuple(usize) -> Self::SerializeTuple;
        serialize_tuple_struct(&'static str, usize) -> Self::SerializeTupleStruct;
        serialize_map(Option<usize>) -> Self::SerializeMap;
        serialize_struct(&'static str, usize) -> Self::SerializeStruct;
    }

    fn serialize_str(self, key: &str) -> Result<(), Declined> {
        self.key.push_str(key);
        Ok(())
    }

    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<(), Declined> {
        self.serialize_str(variant)
    }

    fn serialize_some<T: Serialize + ?Sized>(self, _: &T) -> Result<(), Declined> {
        Err(Declined)
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), Declined> {
        value.serialize(self)
    }
}

impl CellSer<'_> {
    /// A number as `serde_json` writes it.
    fn number(self, n: impl Into<serde_json::Number>) -> Result<Kind, Declined> {
        write!(self.out, "{}", n.into()).map_err(|_| Declined)?;
        Ok(Kind::Number)
    }
}

impl<'o> ser::Serializer for CellSer<'o> {
    type Ok = Kind;
    type Error = Declined;
    type SerializeSeq = ListSer<'o>;
    type SerializeTuple = ListSer<'o>;
    type SerializeTupleStruct = ListSer<'o>;
    type SerializeMap = Impossible<Kind, Declined>;
    type SerializeStruct = Impossible<Kind, Declined>;
    decline_compounds!(Kind);
    decline! {
        serialize_map(Option<usize>) -> Self::SerializeMap;
        serialize_struct(&'static str, usize) -> Self::SerializeStruct;
    }

    fn serialize_bool(self, v: bool) -> Result<Kind, Declined> {
        self.out.push_str(if v { "true" } else { "false" });
        Ok(Kind::Other)
    }
    fn serialize_i8(self, v: i8) -> Result<Kind, Declined> {
        self.number(v)
    }
    fn serialize_i16(self, v: i16) -> Result<Kind, Declined> {
        self.number(v)
    }
    fn serialize_i32(self, v: i32) -> Result<Kind, Declined> {
        self.number(v)
    }
    fn serialize_i64(self, v: i64) -> Result<Kind, Declined> {
        self.number(v)
    }
    fn serialize_u8(self, v: u8) -> Result<Kind, Declined> {
        self.number(v)
    }
    fn serialize_u16(self, v: u16) -> Result<Kind, Declined> {
        self.number(v)
    }
    fn serialize_u32(self, v: u32) -> Result<Kind, Declined> {
        self.number(v)
    }
    fn serialize_u64(self, v: u64) -> Result<Kind, Declined> {
        self.number(v)
    }
    /// A number, or null when it is not finite (as `serde_json::to_value`).
    fn serialize_f64(self, v: f64) -> Result<Kind, Declined> {
        match serde_json::Number::from_f64(v) {
            Some(n) => self.number(n),
            None => Ok(Kind::Other),
        }
    }
    fn serialize_char(self, v: char) -> Result<Kind, Declined> {
        self.out.push(v);
        Ok(Kind::Text)
    }
    fn serialize_str(self, v: &str) -> Result<Kind, Declined> {
        self.out.push_str(v);
        Ok(Kind::Text)
    }
    fn serialize_none(self) -> Result<Kind, Declined> {
        Ok(Kind::Other)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<Kind, Declined> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<Kind, Declined> {
        Ok(Kind::Other)
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<Kind, Declined> {
        Ok(Kind::Other)
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<Kind, Declined> {
        self.serialize_str(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<Kind, Declined> {
        value.serialize(self)
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<ListSer<'o>, Declined> {
        Ok(ListSer {
            out: self.out,
            first: true,
        })
    }
    fn serialize_tuple(self, len: usize) -> Result<ListSer<'o>, Declined> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _: &'static str, len: usize) -> Result<ListSer<'o>, Declined> {
        self.serialize_seq(Some(len))
    }
}

impl ListSer<'_> {
    /// One more item, after a comma unless it is the first.
    fn item<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Declined> {
        if !std::mem::take(&mut self.first) {
            self.out.push(',');
        }
        value
            .serialize(CellSer {
                out: &mut *self.out,
            })
            .map(drop)
    }
}

impl SerializeSeq for ListSer<'_> {
    type Ok = Kind;
    type Error = Declined;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Declined> {
        self.item(value)
    }
    fn end(self) -> Result<Kind, Declined> {
        Ok(Kind::Other)
    }
}

impl ser::SerializeTuple for ListSer<'_> {
    type Ok = Kind;
    type Error = Declined;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Declined> {
        self.item(value)
    }
    fn end(self) -> Result<Kind, Declined> {
        Ok(Kind::Other)
    }
}

impl ser::SerializeTupleStruct for ListSer<'_> {
    type Ok = Kind;
    type Error = Declined;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Declined> {
        self.item(value)
    }
    fn end(self) -> Result<Kind, Declined> {
        Ok(Kind::Other)
    }
}

#[cfg(test)]
mod tests {
    use serde::Serialize;

    use super::super::{csv_cell, mask, to_object};
    use super::*;

    #[derive(Serialize, Default)]
    #[serde(rename_all = "snake_case")]
    enum Tier {
        #[default]
        Core,
    }

    #[derive(Serialize, Default)]
    struct Inner {
        id: String,
        phone: Option<String>,
        new_contact_email: String,
        tier: Tier,
    }

    #[derive(Serialize, Default)]
    struct Flat {
        company: String,
        #[serde(flatten)]
        inner: Inner,
        score: i64,
        ratio: f64,
        big: u64,
        late: bool,
        tags: Vec<String>,
        numbers: (i32, Option<i32>),
        #[serde(skip_serializing_if = "Option::is_none")]
        note: Option<String>,
        reporter: String,
    }

    #[derive(Serialize, Default)]
    struct Nested {
        id: String,
        items: Vec<Inner>,
    }

    /// The row's CSV line as the JSON path writes it, and as [`CsvRow`] does.
    fn both<T: Serialize + Default>(row: &T, reveal: bool) -> (String, Option<String>) {
        let columns: Vec<String> = match to_object(&T::default()).unwrap() {
            serde_json::Value::Object(map) => map.keys().cloned().collect(),
            _ => Vec::new(),
        };
        let mut value = to_object(row).unwrap();
        if !reveal {
            mask(&mut value);
        }
        let mut slow = csv::Writer::from_writer(Vec::new());
        slow.write_record(columns.iter().map(|c| csv_cell(&value[c.as_str()])))
            .unwrap();
        let mut cells = CsvRow::new(!reveal);
        let fast = cells.fill(row).then(|| {
            let mut fast = csv::Writer::from_writer(Vec::new());
            let (cells, finishes) = cells.ordered(&columns);
            for (cell, finish) in cells.iter_mut().zip(finishes) {
                finish.apply(cell);
            }
            fast.write_record(cells).unwrap();
            String::from_utf8(fast.into_inner().unwrap()).unwrap()
        });
        (String::from_utf8(slow.into_inner().unwrap()).unwrap(), fast)
    }

    #[test]
    fn flat_rows_are_written_as_their_json_values_would_be() {
        let hostile = [
            "=1+2",
            "-3",
            "@x",
            "\tx",
            "'=y",
            "a,\"b\"\n",
            "13812341234",
            "",
        ];
        for text in hostile {
            let row = Flat {
                company: text.into(),
                inner: Inner {
                    id: text.into(),
                    phone: Some(text.into()).filter(|t: &String| !t.is_empty()),
                    new_contact_email: format!("{text}li@example.com"),
                    tier: Tier::Core,
                },
                score: -2,
                ratio: if text.is_empty() { f64::NAN } else { 0.5 },
                big: u64::MAX,
                late: true,
                tags: vec![text.into(), "b".into()],
                numbers: (-1, None),
                note: Some(text.into()).filter(|t: &String| t.starts_with('=')),
                reporter: format!("会员 {text}"),
            };
            for reveal in [false, true] {
                let (slow, fast) = both(&row, reveal);
                assert_eq!(Some(slow), fast, "{text:?}, reveal {reveal}");
            }
        }
    }

    #[test]
    fn a_row_holding_records_goes_the_json_way() {
        let row = Nested {
            id: "=x".into(),
            items: vec![Inner::default()],
        };
        assert_eq!(both(&row, false).1, None);
        let none = Nested::default();
        let (slow, fast) = both(&none, false);
        assert_eq!(Some(slow), fast, "an empty list is an empty cell");
    }
}
