// The pages ask the API with the browser's session (issue 25): its cookie goes with every same-origin
// fetch, so no key is kept in the page or the tab. Whether there is a session the page's header says, as
// the server saw it for this page. A page's key form signs in (POST /sign-in), then the page opens again
// with the session, its header naming who.

/** The role of the session this page was served for, or null when it was served to no one signed in. */
export function sessionRole(): string | null {
  return document.querySelector<HTMLElement>("[data-kyso-role]")?.dataset.kysoRole ?? null;
}

/** What signing in with a key gave: done, a key that is not valid, or no answer. */
export type SignInResult = "ok" | "bad-key" | "network";

/** Signs in with an API key; on "ok" the session cookie is set. */
export async function signInWithKey(key: string): Promise<SignInResult> {
  let r: Response;
  try {
    r = await fetch("/sign-in", { method: "POST", headers: { accept: "application/json" }, body: new URLSearchParams({ key }) });
  } catch {
    return "network";
  }
  return r.ok ? "ok" : "bad-key";
}

/**
 * Makes a page's key form sign in, then open the page again with the session at its main heading (#h,
 * tabindex -1), where focus starts (an error is `refused`'s to say). A reload does not focus the target of
 * the address's fragment as a first load does, so the page opened again focuses it here.
 */
export function keyFormSignsIn(form: HTMLFormElement, input: HTMLInputElement, refused: (result: Exclude<SignInResult, "ok">) => void): void {
  if (location.hash === "#h") document.getElementById("h")?.focus();
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const result = await signInWithKey(input.value.trim());
    input.value = "";
    if (result === "ok") {
      location.hash = "h";
      location.reload();
    } else refused(result);
  });
}
