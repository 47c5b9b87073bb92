/** Table borders for cli-table3: its Unicode box lines in a UTF-8 locale, ASCII ones otherwise (LC_ALL=C). */

/** The locale's character set is UTF-8 (LC_ALL, else LC_CTYPE, else LANG, as setlocale reads them). */
export function localeIsUtf8(env: NodeJS.ProcessEnv = process.env): boolean {
  const locale = env.LC_ALL || env.LC_CTYPE || env.LANG || '';
  return /utf-?8/i.test(locale);
}

const ASCII = {
  top: '-', 'top-mid': '+', 'top-left': '+', 'top-right': '+',
  bottom: '-', 'bottom-mid': '+', 'bottom-left': '+', 'bottom-right': '+',
  left: '|', 'left-mid': '+', mid: '-', 'mid-mid': '+', right: '|', 'right-mid': '+', middle: '|',
};

/** `chars` for a cli-table3 table: undefined (its defaults) in a UTF-8 locale. */
export function tableChars(env: NodeJS.ProcessEnv = process.env): Record<string, string> | undefined {
  return localeIsUtf8(env) ? undefined : ASCII;
}
