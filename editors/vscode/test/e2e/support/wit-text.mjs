// Facts about WIT text for assertions: positions of substrings (UTF-16 columns, as LSP counts
// them by default), whole-word occurrences outside comments, and applying LSP text edits.

/** The UTF-16 offset of an LSP position in `text`. */
export function offsetAt(text, position) {
  let offset = 0;
  for (let line = 0; line < position.line; line += 1) {
    const next = text.indexOf("\n", offset);
    if (next < 0) {
      throw new Error(`line ${position.line} is past the end of the text`);
    }
    offset = next + 1;
  }
  return offset + position.character;
}

/** The LSP position (UTF-16 columns) of `offset` in `text`. */
export function positionAt(text, offset) {
  const before = text.slice(0, offset);
  const line = before.split("\n").length - 1;
  const character = offset - (before.lastIndexOf("\n") + 1);
  return { line, character };
}

/**
 * The offset of `needle` in `text`: of its `occurrence`-th match (0-based) after the first match
 * of `after` (if given). Throws when there is no such match, so a changed corpus fails loudly.
 */
export function find(text, needle, { occurrence = 0, after } = {}) {
  let from = 0;
  if (after !== undefined) {
    const anchor = text.indexOf(after);
    if (anchor < 0) {
      throw new Error(`anchor ${JSON.stringify(after)} not found`);
    }
    from = anchor;
  }
  let offset = -1;
  for (let i = 0; i <= occurrence; i += 1) {
    offset = text.indexOf(needle, i === 0 ? from : offset + 1);
    if (offset < 0) {
      throw new Error(`${JSON.stringify(needle)} (#${occurrence}) not found`);
    }
  }
  return offset;
}

/** The range of `needle` in `text` (see `find`); `inner` selects a substring of the needle. */
export function rangeOf(text, needle, options = {}) {
  let start = find(text, needle, options);
  let length = needle.length;
  if (options.inner !== undefined) {
    const innerStart = needle.indexOf(options.inner);
    if (innerStart < 0) {
      throw new Error(`${JSON.stringify(options.inner)} is not inside ${JSON.stringify(needle)}`);
    }
    start += innerStart;
    length = options.inner.length;
  }
  return { start: positionAt(text, start), end: positionAt(text, start + length) };
}

/** The position of `needle` in `text` (see `find`), moved `delta` characters into it. */
export function positionOf(text, needle, options = {}) {
  const { delta = 0 } = options;
  return positionAt(text, find(text, needle, options) + delta);
}

/** `text` with every `//` comment replaced by spaces (positions are kept). */
export function blankComments(text) {
  return text
    .split("\n")
    .map((line) => {
      const start = line.indexOf("//");
      return start < 0 ? line : line.slice(0, start) + " ".repeat(line.length - start);
    })
    .join("\n");
}

/**
 * The ranges of the whole-word occurrences of the WIT name `name` outside comments (a name may
 * contain `-`; a `%` escape before it is not part of the range).
 */
export function wordRanges(text, name) {
  text = blankComments(text);
  const ranges = [];
  const pattern = new RegExp(`(?<![A-Za-z0-9%-])%?${escapeRegExp(name)}(?![A-Za-z0-9-])`, "g");
  for (const match of text.matchAll(pattern)) {
    const start = match.index + (match[0].startsWith("%") ? 1 : 0);
    ranges.push({ start: positionAt(text, start), end: positionAt(text, match.index + match[0].length) });
  }
  return ranges;
}

function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Sorts ranges (or objects with `range`/`uri`) into a stable order for comparisons. */
export function byPosition(a, b) {
  const ra = a.range ?? a;
  const rb = b.range ?? b;
  return (
    (a.uri ?? "").localeCompare(b.uri ?? "") ||
    ra.start.line - rb.start.line ||
    ra.start.character - rb.start.character
  );
}

/** Applies LSP text edits to `text` (edits must not overlap). */
export function applyEdits(text, edits) {
  const sorted = [...edits].sort((a, b) => offsetAt(text, b.range.start) - offsetAt(text, a.range.start));
  let result = text;
  for (const edit of sorted) {
    result = result.slice(0, offsetAt(result, edit.range.start)) + edit.newText + result.slice(offsetAt(result, edit.range.end));
  }
  return result;
}

/** The names of the types declared (`record`, `variant`, `enum`, `flags`, `resource`, `type`) in `text`, in order. */
export function declaredTypes(text) {
  const pattern = /^\s*(?:record|variant|enum|flags|resource|type)\s+%?([A-Za-z][A-Za-z0-9-]*)/gm;
  return [...blankComments(text).matchAll(pattern)].map((match) => match[1]);
}
