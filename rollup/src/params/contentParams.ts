/**
 * Limits of the structured content format (§14.2 "Posts are stored as structured JSON with
 * explicit fields, not free-form text"), used by economy/contentSchema.ts. The paper names the
 * format but none of its fields; the values below are this implementation's (docs/economy.md
 * "Content schema"). The whole body is also bounded in bytes by economyParams MAX_CONTENT_BYTES.
 * Lengths of text fields count Unicode code points, not UTF-16 units or bytes.
 */

/** Version of the content format a body declares in `v`. */
export const CONTENT_VERSION = 1;

/** `title`: required for posts and questions (a thread's headline, as on every forum). */
export const CONTENT_TITLE_MAX = 300;

/** `body`: the text. 60,000 code points of ASCII fit MAX_CONTENT_BYTES with the other fields. */
export const CONTENT_BODY_MAX = 60_000;

/** `tags`: at most 10, each 1-32 characters of [a-z0-9-] (like community names). */
export const CONTENT_TAGS_MAX = 10;
export const CONTENT_TAG_MAX = 32;

/** `lang`: a BCP 47 language tag (`en`, `pt-BR`, `zh-Hant-TW`), at most 16 characters. */
export const CONTENT_LANG_MAX = 16;

/** `links`: at most 10 https URLs of at most 2,048 characters (the de-facto URL limit). */
export const CONTENT_LINKS_MAX = 10;
export const CONTENT_LINK_MAX = 2_048;

/** `name`: a profile's display name. */
export const CONTENT_NAME_MAX = 64;
