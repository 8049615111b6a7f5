#![no_std]

extern crate alloc;

pub mod char;
pub mod complex;
pub mod escape;
pub mod float;
pub mod format;
