//! Tests of the language layer (`src/lang`, with the expansions of
//! `src/expand`): property tests over the parser, arithmetic and words.

mod props;
