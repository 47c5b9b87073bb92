/**
 * inotify-tools' `--help` as its fanotify twins print it (3.22.6's fsnotifywait and fsnotifywatch): their
 * own name wherever the text names the program, and three lines for -I/-F/-S after -r's.
 */
const AFTER = '\t-r|--recursive\tWatch directories recursively.\n';
const FANOTIFY_LINES =
  '\t-I|--inotify\tWatch with inotify.\n' +
  '\t-F|--fanotify\tWatch with fanotify.\n' +
  '\t-S|--filesystem\tWatch entire filesystem with fanotify.\n';

/** `text` (inotifywait's or inotifywatch's help, named `from`) for `program`; unchanged when they are one. */
export function helpFor(text: string, from: string, program: string): string {
  if (program === from) return text;
  return text.split(from).join(program).replace(AFTER, AFTER + FANOTIFY_LINES);
}
