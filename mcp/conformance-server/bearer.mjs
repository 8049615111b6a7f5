// Preloaded (`node --import`) into the MCP conformance suite when it runs its
// server scenarios against `aicoder mcp serve --http` (`make
// mcp-conformance-server`). The suite's clients send no headers of their own,
// and aicoder's HTTP server answers nothing without the bearer token it
// printed at start; this adds `Authorization: Bearer $AICODER_MCP_TOKEN` to
// every request the suite makes to that one origin ($AICODER_MCP_URL), and to
// nothing else. It goes through undici's global dispatcher, which both the
// suite's fetch (the SDK's transport) and its direct undici requests (the
// DNS-rebinding scenario) use, so the Host check is what that scenario meets.
import { createRequire } from "node:module";

const require = createRequire(`${process.cwd()}/`);
const { Agent, setGlobalDispatcher } = require("undici");
const token = process.env.AICODER_MCP_TOKEN;
const origin = new URL(process.env.AICODER_MCP_URL).origin;

const bearer = (dispatch) => (options, handler) => {
  if (new URL(options.origin).origin !== origin) return dispatch(options, handler);
  const headers = Array.isArray(options.headers)
    ? [...options.headers, "authorization", `Bearer ${token}`]
    : { ...(options.headers ?? {}), authorization: `Bearer ${token}` };
  return dispatch({ ...options, headers }, handler);
};
setGlobalDispatcher(new Agent().compose(bearer));
