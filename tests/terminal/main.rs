//! The session in a real pseudo-terminal: the approval prompt, input and what a person sees.
//! One test binary per subject: each module below was its own binary once.

mod approval_prompt;
mod autoexec;
mod input;
mod output;
