// The @NAME@ plugin for aicoder, built with componentize-js (`npm run build`).
import { definePlugin, hostCalls, AccessDenied, HostError, InvalidArguments } from './aicoder.js';
import { shout } from './logic.js';
@IMPORTS@

const TEXT_SCHEMA = JSON.stringify({
  type: 'object',
  properties: { text: { type: 'string', description: 'Text to shout' } },
  required: ['text'],
});

/**
 * One line per capability this plugin imports; a denial (or another host
 * error, such as a session-only write outside a session) is caught and shown.
 */
function status() {
  const lines = [];
  const report = (label, call) => {
    try {
      lines.push(`${label}: ${call()}`);
    } catch (error) {
      if (error instanceof AccessDenied) lines.push(`${label}: not granted: ${error.message}`);
      else if (error instanceof HostError) lines.push(`${label}: ${error.message}`);
      else throw error;
    }
  };
@STATUS@
  return lines.join('\n');
}

export const guest = definePlugin({
  manifest() {
    return {
      name: '@NAME@',
      version: '0.1.0',
      description: 'What @NAME@ does, in one line',
      tools: [{
        name: '@NAME@_shout',
        description: 'Shout the given text.',
        parametersJson: TEXT_SCHEMA,
        autoApproved: true,
        hidden: false,
      }],
      commands: [{ name: '@NAME@', description: 'Show what this plugin can reach (@CAPS@)' }],
      hooks: [],
    };
  },

  tool(name, args) {
    if (name !== '@NAME@_shout') throw new InvalidArguments(`unknown tool ${name}`);
    if (typeof args.text !== 'string') throw new InvalidArguments('missing string field `text`');
    return shout(args.text);
  },

  preview(name, args) {
    return `shout ${JSON.stringify(args.text)}`;
  },

  command(name, line) {
    return status();
  },
});
