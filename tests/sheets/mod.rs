//! Workbooks as inputs (issue 17): round trips to the scores of the CSV files, a test per
//! refusal naming the file, sheet and cell, and spreadsheet bombs refused within a memory
//! limit.

mod bombs;
mod book;
mod coinr;
mod refusals;
mod roundtrip;
