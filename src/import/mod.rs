//! Other tools' data into gti's files: COINr's iData and iMeta ([`coinr`]), publishers'
//! wide, year-suffixed tables ([`columns`]), and survey platforms' exports ([`survey`]).
//! Conversions take bytes and return bytes; the commands read and write the files.

pub mod coinr;
pub mod columns;
pub mod survey;
