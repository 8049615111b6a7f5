// The plugin's logic, free of host calls, so `npm test` runs it in Node.

/** The text in capitals with an exclamation mark. */
export function shout(text) {
  return `${text.toUpperCase()}!`;
}
