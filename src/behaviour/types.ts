// The shape of a match: what configs, `waitForMessage` and the matchers share.

/** How an incoming frame is recognised. */
export interface MatchSpec {
  /**
   * `exact`, `contains`, `prefix`, `suffix` compare the frame's text with `value`;
   * `regex` tests `value` as a regular expression; `json` selects `path` (JSONPath)
   * from the parsed frame and deep-compares it with `value`, or checks it exists.
   */
  type: 'exact' | 'contains' | 'prefix' | 'suffix' | 'regex' | 'json';
  /** What to compare with. A string for text matchers (or a RegExp in-process for `regex`); any JSON value for `json`. */
  value?: unknown;
  /** JSONPath expression for `json` matchers, e.g. `$.type` or `$.items[?(@.id==1)]`. */
  path?: string;
  /** Only match frames of this kind. Text matchers match text frames unless this says `binary`. */
  messageType?: 'text' | 'binary';
}
