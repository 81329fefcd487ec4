import { writeErr } from "./stdio.ts";

// Questions rally asks on stderr. Without a terminal a single line is read from stdin; blank,
// EOF or an unknown answer picks the default. One shared line reader serves every prompt, so
// `printf 'resume\noverwrite\n' | rally relay` answers two prompts in a row.

export interface Choice {
  value: string;
  label: string;
}

let lines: AsyncIterator<string> | undefined;

async function readLine(): Promise<string | undefined> {
  lines ??= (async function* () {
    const decoder = new TextDecoder();
    let buffered = "";
    for await (const chunk of Bun.stdin.stream()) {
      buffered += decoder.decode(chunk, { stream: true });
      let nl: number;
      while ((nl = buffered.indexOf("\n")) >= 0) {
        yield buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
      }
    }
    if (buffered) yield buffered;
  })();
  const next = await lines.next();
  return next.done ? undefined : next.value;
}

export async function select(title: string, choices: Choice[], fallback: string): Promise<string> {
  writeErr(`${title} [${choices.map((c) => c.label).join("/")}]: `);
  const answer = (await readLine())?.trim().toLowerCase() ?? "";
  writeErr("\n");
  if (!answer) return fallback;
  const hit =
    choices.find((c) => c.value.toLowerCase() === answer || c.label.toLowerCase() === answer) ??
    (answer.length === 1 ? choices.find((c) => c.value.toLowerCase().startsWith(answer)) : undefined);
  return hit?.value ?? fallback;
}

export async function confirm(question: string, fallback: boolean): Promise<boolean> {
  writeErr(`${question} ${fallback ? "(Y/n)" : "(y/N)"}: `);
  const answer = (await readLine())?.trim().toLowerCase() ?? "";
  writeErr("\n");
  if (!answer) return fallback;
  return answer === "y" || answer === "yes";
}
