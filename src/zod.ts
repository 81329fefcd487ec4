import { z } from "zod/mini";
import en from "zod/v4/locales/en.js";

// rally's schemas use zod/mini: classic zod builds much more at import, and every command that
// loads config or state pays for it at start-up. Unlike classic zod, mini sets no locale, so every
// issue would read a bare "Invalid input"; config and state errors show those messages to users,
// so schema modules import z from here rather than from zod/mini directly.
z.config(en());

export { z };
