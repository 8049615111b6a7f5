#[derive(Debug, PartialEq, Eq, Clone, Copy, is_macro::Is, Hash)]
pub enum Case {
    Lower,
    Upper,
}
