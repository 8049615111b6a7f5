//! A scripted OpenAI-compatible server on 127.0.0.1 for end-to-end tests:
//! each request gets the next scripted reply; every request body is kept for
//! assertions. Started by the test, stopped when dropped.

use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// One scripted reply.
#[derive(Debug, Clone)]
pub enum Reply {
    /// A streamed answer: each value is one `data:` event, then `[DONE]`.
    Stream(Vec<Value>),
    /// A raw streamed body, sent as is (for malformed streams).
    Raw(String),
    /// An error status with a body.
    Status(u16, String),
    /// Start streaming these events, then drop the connection mid-answer.
    Drop(Vec<Value>),
    /// Accept and never answer.
    Hang,
    /// An error status with `Retry-After: 0` (a server asking for a retry now).
    Busy(u16),
    /// Stream the events, then half an event, then end the body cleanly
    /// without `[DONE]`: a truncated answer.
    Truncated(Vec<Value>),
    /// Stream `text` events without end (pausing `pause_ms` between them)
    /// until the client goes away.
    Endless { text: String, pause_ms: u64 },
    /// Hold the reply until `count` requests answered by a `Together` have
    /// arrived (proof that clients ran at the same time), then send `then`;
    /// after 30 s without them, a 500 instead.
    Together { count: usize, then: Box<Reply> },
    /// Stream the events with a pause of `pause_ms` before each, then
    /// `[DONE]`: an answer that takes a while but ends.
    Slow { events: Vec<Value>, pause_ms: u64 },
}

/// The request line and headers of one request.
#[derive(Debug, Clone, Default)]
pub struct Head {
    /// e.g. `POST /v1/chat/completions HTTP/1.1`.
    pub line: String,
    /// Header names in lower case, with their values.
    pub headers: Vec<(String, String)>,
}

impl Head {
    /// The value of header `name` (lower case), if sent.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// The running server.
pub struct ScriptedServer {
    pub url: String,
    /// The port it listens on (127.0.0.1).
    pub port: u16,
    requests: Arc<Mutex<Vec<Value>>>,
    heads: Arc<Mutex<Vec<Head>>>,
}

impl ScriptedServer {
    /// Serve `replies` in order; requests past the script get a 500.
    /// `GET .../models` is answered with the model `scripted-local`, outside
    /// the script.
    pub fn start(replies: Vec<Reply>) -> Self {
        Self::start_routed(Vec::new(), replies)
    }

    /// Serve each request from the queue of the first route whose key the
    /// request's first user message contains (for clients running in
    /// parallel, e.g. subagents); other requests from `replies`, in order.
    pub fn start_routed(routes: Vec<(&str, Vec<Reply>)>, replies: Vec<Reply>) -> Self {
        let mut routes: Vec<(String, std::vec::IntoIter<Reply>)> = routes
            .into_iter()
            .map(|(k, r)| (k.to_string(), r.into_iter()))
            .collect();
        let together = Arc::new((Mutex::new(0usize), std::sync::Condvar::new()));
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = listener.local_addr().expect("addr").port();
        let url = format!("http://127.0.0.1:{port}/v1");
        let requests = Arc::new(Mutex::new(Vec::new()));
        let seen = requests.clone();
        let heads = Arc::new(Mutex::new(Vec::new()));
        let seen_heads = heads.clone();
        std::thread::spawn(move || {
            let mut script = replies.into_iter();
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let mut head = Head::default();
                let body = read_request(&stream, &mut head);
                let models = head.line.starts_with("GET ") && head.line.contains("/models ");
                seen_heads.lock().expect("lock").push(head);
                if models {
                    let list = r#"{"object":"list","data":[{"id":"scripted-local","object":"model"},{"id":"other","object":"model"}]}"#;
                    let _ = write!(
                        stream,
                        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{list}",
                        list.len()
                    );
                    continue;
                }
                let Some(body) = body else {
                    continue;
                };
                let first_user = body["messages"]
                    .as_array()
                    .and_then(|m| m.iter().find(|m| m["role"] == "user"))
                    .and_then(|m| m["content"].as_str())
                    .unwrap_or("")
                    .to_string();
                seen.lock().expect("lock").push(body);
                let queue = match routes
                    .iter_mut()
                    .find(|(k, _)| first_user.contains(k.as_str()))
                {
                    Some((_, queue)) => queue,
                    None => &mut script,
                };
                let reply = queue
                    .next()
                    .unwrap_or(Reply::Status(500, "script exhausted".into()));
                let together = together.clone();
                std::thread::spawn(move || match reply {
                    Reply::Together { count, then } => {
                        let (lock, ready) = &*together;
                        let mut arrived = lock.lock().expect("lock");
                        *arrived += 1;
                        ready.notify_all();
                        let (arrived, timeout) = ready
                            .wait_timeout_while(arrived, Duration::from_secs(30), |n| *n < count)
                            .expect("lock");
                        drop(arrived);
                        if timeout.timed_out() {
                            answer(stream, Reply::Status(500, "not together".into()))
                        } else {
                            answer(stream, *then)
                        }
                    }
                    reply => answer(stream, reply),
                });
            }
        });
        ScriptedServer {
            url,
            port,
            requests,
            heads,
        }
    }

    /// Every request body received so far.
    pub fn requests(&self) -> Vec<Value> {
        self.requests.lock().expect("lock").clone()
    }

    /// The request line and headers of every request so far, bodiless ones
    /// (a proxy `CONNECT`, `GET /v1/models`) included.
    pub fn heads(&self) -> Vec<Head> {
        self.heads.lock().expect("lock").clone()
    }
}

fn read_request(stream: &TcpStream, head: &mut Head) -> Option<Value> {
    let mut reader = BufReader::new(stream);
    let mut length = 0;
    let mut first = true;
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).ok()?;
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if std::mem::take(&mut first) {
            head.line = line.to_string();
            continue;
        }
        if let Some((k, v)) = line.split_once(':') {
            head.headers
                .push((k.trim().to_ascii_lowercase(), v.trim().to_string()));
            if k.eq_ignore_ascii_case("content-length") {
                length = v.trim().parse().ok()?;
            }
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}

fn chunk(out: &mut TcpStream, data: &str) -> std::io::Result<()> {
    write!(out, "{:x}\r\n{data}\r\n", data.len())?;
    out.flush()
}

fn answer(mut out: TcpStream, reply: Reply) {
    let sse_head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n";
    let _ = match reply {
        Reply::Stream(events) => (|| {
            out.write_all(sse_head.as_bytes())?;
            for e in events {
                chunk(&mut out, &format!("data: {e}\n\n"))?;
            }
            chunk(&mut out, "data: [DONE]\n\n")?;
            out.write_all(b"0\r\n\r\n")
        })(),
        Reply::Raw(body) => (|| {
            out.write_all(sse_head.as_bytes())?;
            chunk(&mut out, &body)?;
            out.write_all(b"0\r\n\r\n")
        })(),
        Reply::Status(code, body) => write!(
            out,
            "HTTP/1.1 {code} Error\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        ),
        Reply::Drop(events) => (|| {
            out.write_all(sse_head.as_bytes())?;
            for e in events {
                chunk(&mut out, &format!("data: {e}\n\n"))?;
            }
            // Half a chunk, then the connection goes away.
            out.write_all(b"40\r\ndata: {\"cho")?;
            out.flush()?;
            out.shutdown(std::net::Shutdown::Both)
        })(),
        Reply::Hang => {
            std::thread::sleep(Duration::from_secs(60));
            Ok(())
        }
        Reply::Busy(code) => write!(
            out,
            "HTTP/1.1 {code} Busy\r\nRetry-After: 0\r\nContent-Length: 4\r\nConnection: close\r\n\r\nbusy"
        ),
        Reply::Truncated(events) => (|| {
            out.write_all(sse_head.as_bytes())?;
            for e in events {
                chunk(&mut out, &format!("data: {e}\n\n"))?;
            }
            chunk(&mut out, "data: {\"choices\":[{\"index\":0,\"delta\":{\"cont")?;
            out.write_all(b"0\r\n\r\n")
        })(),
        Reply::Together { then, .. } => {
            answer(out, *then);
            Ok(())
        }
        Reply::Slow { events, pause_ms } => (|| {
            out.write_all(sse_head.as_bytes())?;
            for e in events {
                std::thread::sleep(Duration::from_millis(pause_ms));
                chunk(&mut out, &format!("data: {e}\n\n"))?;
            }
            chunk(&mut out, "data: [DONE]\n\n")?;
            out.write_all(b"0\r\n\r\n")
        })(),
        Reply::Endless { text: t, pause_ms } => (|| {
            out.write_all(sse_head.as_bytes())?;
            let event = format!("data: {}\n\n", text(&t));
            loop {
                chunk(&mut out, &event)?;
                if pause_ms > 0 {
                    std::thread::sleep(Duration::from_millis(pause_ms));
                }
            }
        })(),
    };
}

/// The content of every tool message of a request the server received, in
/// order: what the model was told each tool call did.
pub fn tool_results(request: &Value) -> Vec<String> {
    request["messages"]
        .as_array()
        .expect("a chat request has messages")
        .iter()
        .filter(|m| m["role"] == "tool")
        .map(|m| {
            m["content"]
                .as_str()
                .expect("a tool message's content is text")
                .to_string()
        })
        .collect()
}

/// The text of the last user message of a request the server received:
/// what the model was asked last (empty if that message is not plain text).
pub fn last_user_text(request: &Value) -> String {
    let messages = request["messages"]
        .as_array()
        .expect("a chat request has messages");
    messages
        .iter()
        .rfind(|m| m["role"] == "user")
        .expect("a chat request has a user message")["content"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

/// A chunk carrying answer text.
pub fn text(t: &str) -> Value {
    json!({"choices":[{"index":0,"delta":{"content":t}}]})
}

/// A chunk carrying (a fragment of) tool call `index`.
pub fn tool_call(index: u32, id: &str, name: &str, arguments: &str) -> Value {
    let mut call = json!({"index": index, "function": {"arguments": arguments}});
    if !id.is_empty() {
        call["id"] = id.into();
        call["type"] = "function".into();
        call["function"]["name"] = name.into();
    }
    json!({"choices":[{"index":0,"delta":{"tool_calls":[call]}}]})
}

/// The closing chunk with usage.
pub fn finish(reason: &str, prompt_tokens: u64, completion_tokens: u64) -> Value {
    json!({"choices":[{"index":0,"delta":{},"finish_reason":reason}],"usage":{"prompt_tokens":prompt_tokens,"completion_tokens":completion_tokens,"total_tokens":prompt_tokens+completion_tokens}})
}

/// A streamed Messages API answer (`API_PROVIDER=anthropic`): each value
/// is one event, sent as `event: TYPE` and `data: JSON`; no `[DONE]`.
pub fn anthropic_stream(events: &[Value]) -> Reply {
    let body: String = events
        .iter()
        .map(|e| {
            format!(
                "event: {}\ndata: {e}\n\n",
                e["type"].as_str().unwrap_or("message")
            )
        })
        .collect();
    Reply::Raw(body)
}

/// A whole streamed text answer.
pub fn answer_text(t: &str) -> Reply {
    Reply::Stream(vec![text(t), finish("stop", 10, 5)])
}

/// A plain HTTP server on 127.0.0.1 answering every request with `body`
/// (one answer per connection); returns its port. For tests that reach a
/// local page through the sandbox's proxy, net.fetch or an MCP server.
pub fn serve_page(body: &'static str) -> u16 {
    crate::http::serve(move |_| {
        crate::http::response("200 OK", &["content-type: text/plain"], body)
    })
}

/// A script where the model calls each `(tool, arguments)` in turn, one per
/// answer, then says "done".
pub fn calls_then_done(calls: &[(&str, Value)]) -> ScriptedServer {
    let mut replies: Vec<Reply> = calls
        .iter()
        .enumerate()
        .map(|(i, (tool, args))| {
            Reply::Stream(vec![
                tool_call(0, &format!("c{i}"), tool, &args.to_string()),
                finish("tool_calls", 1, 1),
            ])
        })
        .collect();
    replies.push(answer_text("done"));
    ScriptedServer::start(replies)
}

/// One streamed answer calling `run_shell_command` with `command`.
pub fn shell_call(id: &str, command: &str) -> Reply {
    let args = json!({ "command": command }).to_string();
    Reply::Stream(vec![
        tool_call(0, id, "run_shell_command", &args),
        finish("tool_calls", 5, 5),
    ])
}

/// Run each command in `p` as one approved tool call (YOLO, piped, with
/// `SHELL_SANDBOX=sandbox`); what the model was told of each, and
/// aicoder's stderr.
pub fn run_shell_commands(
    p: &mut crate::Project,
    commands: &[&str],
    sandbox: &str,
) -> (Vec<String>, String) {
    let mut replies: Vec<Reply> = commands
        .iter()
        .enumerate()
        .map(|(i, c)| shell_call(&format!("c{i}"), c))
        .collect();
    replies.push(answer_text("done"));
    let server = ScriptedServer::start(replies);
    p.env("API_BASE_URL", &server.url)
        .env("API_KEY", "k")
        .env("API_MODEL", "scripted")
        .env("YOLO_MODE", "1")
        .env("SHELL_SANDBOX", sandbox);
    let run = p.run_with_stdin(&[], "do it\n");
    let requests = server.requests();
    assert!(
        requests.len() > commands.len(),
        "every call ran: {}",
        run.stderr()
    );
    (tool_results(&requests[commands.len()]), run.stderr())
}

/// What went back to the model for each tool call, in order: the tool
/// messages of the last request the server received.
pub fn last_tool_results(server: &ScriptedServer) -> Vec<String> {
    let requests = server.requests();
    tool_results(requests.last().expect("the model was asked at least once"))
}

/// The system message the model got in the first request.
pub fn system_prompt(server: &ScriptedServer) -> String {
    let requests = server.requests();
    let first = &requests[0]["messages"][0];
    assert_eq!(first["role"], "system");
    first["content"]
        .as_str()
        .expect("the system message is text")
        .to_string()
}
