//! A Server-Sent Events parser for streamed chat completions: bytes in, the
//! `data:` payload of each complete event out. Tolerates `\r\n`, comments,
//! multi-line data and events split across network reads.

/// Incremental SSE parser. Linear in the bytes fed, however they are split:
/// each byte is scanned for a line end once.
#[derive(Debug, Default)]
pub struct SseParser {
    buffer: Vec<u8>,
    /// How much of `buffer` is known to hold no line end.
    scanned: usize,
    data: Vec<String>,
}

impl SseParser {
    /// A parser with nothing buffered.
    pub fn new() -> Self {
        Self::default()
    }

    /// Feed bytes; returns the data of every event completed by them.
    pub fn feed(&mut self, bytes: &[u8]) -> Vec<String> {
        self.buffer.extend_from_slice(bytes);
        let mut events = Vec::new();
        let mut start = 0;
        while let Some(offset) = self.buffer[self.scanned..].iter().position(|&b| b == b'\n') {
            let end = self.scanned + offset;
            self.scanned = end + 1;
            let mut line = &self.buffer[start..end];
            start = end + 1;
            if line.last() == Some(&b'\r') {
                line = &line[..line.len() - 1];
            }
            let line = String::from_utf8_lossy(line);
            if line.is_empty() {
                if !self.data.is_empty() {
                    events.push(self.data.join("\n"));
                    self.data.clear();
                }
            } else if let Some(rest) = line.strip_prefix("data:") {
                self.data
                    .push(rest.strip_prefix(' ').unwrap_or(rest).to_string());
            }
            // Comments (`:`), `event:`, `id:` and `retry:` lines carry nothing we use.
        }
        // One shift of the unfinished line to the front per feed.
        self.buffer.drain(..start);
        self.scanned = self.buffer.len();
        events
    }

    /// The data of an event left unterminated at the end of the stream.
    pub fn finish(&mut self) -> Option<String> {
        self.scanned = 0;
        let rest = String::from_utf8_lossy(&std::mem::take(&mut self.buffer)).into_owned();
        if let Some(d) = rest.trim_end().strip_prefix("data:") {
            self.data.push(d.trim_start().to_string());
        }
        if self.data.is_empty() {
            None
        } else {
            Some(std::mem::take(&mut self.data).join("\n"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_split_anywhere_come_out_whole() {
        let stream = b": keep-alive\r\ndata: {\"a\":1}\r\n\r\ndata: line1\ndata: line2\n\nevent: x\ndata: [DONE]\n\n";
        for split in 0..stream.len() {
            let mut p = SseParser::new();
            let mut events = p.feed(&stream[..split]);
            events.extend(p.feed(&stream[split..]));
            assert_eq!(
                events,
                ["{\"a\":1}", "line1\nline2", "[DONE]"],
                "split at {split}"
            );
        }
    }

    mod fuzz {
        use super::super::SseParser;
        use proptest::prelude::*;
        use proptest::sample::Index;

        /// Feed `bytes` cut at `cuts`; the events and what `finish` found.
        fn feed_in_pieces(bytes: &[u8], cuts: &[Index]) -> (Vec<String>, Option<String>) {
            let mut points: Vec<usize> = cuts.iter().map(|i| i.index(bytes.len() + 1)).collect();
            points.sort_unstable();
            let mut parser = SseParser::new();
            let mut events = Vec::new();
            let mut from = 0;
            for to in points {
                events.extend(parser.feed(&bytes[from..to]));
                from = to;
            }
            events.extend(parser.feed(&bytes[from..]));
            (events, parser.finish())
        }

        proptest! {
            /// Well-formed events come out whole and in order however the
            /// stream is cut, with `\n` or `\r\n` line ends and comments between.
            #[test]
            fn fuzz_sse_events_survive_any_split(
                events in prop::collection::vec("[^\r\n]{0,40}", 0..8),
                crlf in any::<bool>(),
                comments in any::<bool>(),
                cuts in prop::collection::vec(any::<Index>(), 0..8),
            ) {
                let nl = if crlf { "\r\n" } else { "\n" };
                let stream: String = events
                    .iter()
                    .map(|e| {
                        let comment = if comments { format!(": ping{nl}") } else { String::new() };
                        format!("{comment}data: {e}{nl}{nl}")
                    })
                    .collect();
                let (out, rest) = feed_in_pieces(stream.as_bytes(), &cuts);
                prop_assert_eq!(out, events);
                prop_assert_eq!(rest, None);
            }

            /// Any bytes at all: no panic, and nothing is invented: every
            /// event is made of `data:` lines that were in the input.
            #[test]
            fn fuzz_sse_any_bytes(
                bytes in prop::collection::vec(any::<u8>(), 0..600),
                cuts in prop::collection::vec(any::<Index>(), 0..8),
            ) {
                let (out, rest) = feed_in_pieces(&bytes, &cuts);
                let text = String::from_utf8_lossy(&bytes);
                for event in out.iter().chain(rest.iter()) {
                    for line in event.split('\n') {
                        prop_assert!(text.contains(line.trim()), "{:?} not in input", line);
                    }
                }
            }
        }
    }

    #[test]
    fn unterminated_last_event_is_kept() {
        let mut p = SseParser::new();
        assert!(p.feed(b"data: tail").is_empty());
        assert_eq!(p.finish().as_deref(), Some("tail"));
    }
}
