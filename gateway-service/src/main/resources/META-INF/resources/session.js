// Aegis web app: who is signed in. Where the gateway names the lab's OpenID Connect provider
// (GET /api/v1/sign-in), the app signs in there with the authorization code flow and PKCE (S256):
// the tokens stay in this page's memory, never in storage, and are refreshed before they expire.
// A reload signs in again without a prompt while the provider's own session lasts. Scripts' tokens
// (./aegis token) can also be pasted in; a pasted token is kept for the tab (sessionStorage).
const session = (() => {
  const api = '/api/v1';
  const PENDING = 'aegis.sign-in';     // state and PKCE verifier of a sign-in under way (not a token)
  const SIGNED_IN = 'aegis.signed-in'; // '1' while signed in with the provider: a reload signs in again
  const PASTED = 'aegis.token';
  const listeners = [];
  let provider = null;
  let tokens = null;                   // { access, refresh, idToken } from the provider, in memory only
  let refreshTimer = null;
  let generation = 0;                  // bumped at sign-out: an answer to an older request is dropped
  let pasted = '';

  const el = (id) => document.getElementById(id);
  const returnTo = () => `${window.location.origin}${window.location.pathname}`;

  function b64url(bytes) {
    return btoa(String.fromCharCode(...new Uint8Array(bytes))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  }

  const random = (size) => b64url(crypto.getRandomValues(new Uint8Array(size)));

  const bytes = (n) => (n >= 1e9 ? `${(n / 1e9).toFixed(1)} GB` : n >= 1e6 ? `${(n / 1e6).toFixed(1)} MB`
    : n >= 1e3 ? `${(n / 1e3).toFixed(1)} kB` : `${n} bytes`);

  function token() {
    return tokens ? tokens.access : pasted;
  }

  function changed() {
    show();
    listeners.forEach((listener) => listener());
  }

  function note(text) {
    el('sign-in-error').textContent = text;
    el('sign-in-error').hidden = !text;
  }

  // Who the gateway takes this token for.
  async function show() {
    el('sign-in').hidden = !provider || Boolean(tokens);
    el('sign-out').hidden = !tokens;
    el('paste').hidden = Boolean(tokens);
    const who = el('who');
    el('usage').textContent = '';
    if (!token()) { who.textContent = provider ? 'Not signed in.' : 'Paste a bearer token to start.'; return; }
    const response = await fetch(`${api}/me`, { headers: { Authorization: `Bearer ${token()}` } }).catch(() => null);
    if (response && response.ok) {
      const me = await response.json();
      who.textContent = `Signed in as ${me.user}${me.admin ? ' (administrator)' : ''}.`;
      if (tokens) note(''); // an earlier sign-in's failure is over
      el('usage').textContent = typeof me.storeBytes === 'number' && me.storeQuotaBytes
        ? `Your jobs take ${bytes(me.storeBytes)} of your ${bytes(me.storeQuotaBytes)} store.` : '';
    } else {
      who.textContent = 'This token is not accepted.';
    }
  }

  // Off to the provider; it sends the browser back here with a code. Silent: no prompt, and an error
  // back if the provider's own session has ended.
  async function signIn(silent = false) {
    if (!provider) return;
    const verifier = random(48);
    const state = random(24);
    const challenge = b64url(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
    // the page to come back to, its query included (a filtered history), once signed in
    const back = `${window.location.pathname}${window.location.search}`;
    sessionStorage.setItem(PENDING, JSON.stringify({ state, verifier, back }));
    // set again only once tokens come back: a silent sign-in that fails is not tried on the next load
    sessionStorage.removeItem(SIGNED_IN);
    const query = new URLSearchParams({
      response_type: 'code', client_id: provider.clientId, redirect_uri: returnTo(), scope: provider.scope,
      state, code_challenge: challenge, code_challenge_method: 'S256' });
    if (silent) query.set('prompt', 'none');
    window.location.assign(`${provider.authorizationEndpoint}?${query}`);
  }

  async function tokenRequest(form) {
    const asked = generation;
    const response = await fetch(provider.tokenEndpoint, {
      method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ client_id: provider.clientId, ...form }) });
    if (!response.ok) throw new Error(`the provider answered ${response.status}`);
    const answer = await response.json();
    if (asked !== generation) return; // signed out meanwhile
    const previous = tokens || {};
    tokens = { access: answer.access_token, refresh: answer.refresh_token || previous.refresh,
      idToken: answer.id_token || previous.idToken, expiresAt: Date.now() + (answer.expires_in || 0) * 1000 };
    schedule(Math.max(5, (answer.expires_in || 60) - 30) * 1000);
    sessionStorage.setItem(SIGNED_IN, '1');
  }

  function schedule(millis) {
    clearTimeout(refreshTimer);
    if (tokens && tokens.refresh) refreshTimer = setTimeout(refresh, millis);
  }

  // A refresh that fails is tried again every 10 s while the access token lasts; then the user is
  // signed out here (the provider's session may still let a reload sign in again).
  async function refresh() {
    try {
      await tokenRequest({ grant_type: 'refresh_token', refresh_token: tokens.refresh });
    } catch (e) {
      if (tokens && Date.now() + 10000 < tokens.expiresAt) {
        schedule(10000);
        return;
      }
      tokens = null;
      sessionStorage.removeItem(SIGNED_IN);
      note(`Signed out: the session could not be renewed (${e.message}).`);
      changed();
    }
  }

  // Back from the provider: trade the code for tokens, once, if the state is the one sent.
  async function complete(params) {
    const pending = JSON.parse(sessionStorage.getItem(PENDING) || 'null');
    sessionStorage.removeItem(PENDING);
    const back = pending && typeof pending.back === 'string' && /^\/(?!\/)/.test(pending.back) ? pending.back : window.location.pathname;
    window.history.replaceState(null, '', back);
    sessionStorage.removeItem(SIGNED_IN);
    if (!pending || pending.state !== params.get('state')) {
      note('Sign-in failed: the answer does not belong to a sign-in of this tab.');
      return;
    }
    if (params.get('error')) {
      if (params.get('error') !== 'login_required') note(`Sign-in failed: ${params.get('error_description') || params.get('error')}`);
      return;
    }
    try {
      await tokenRequest({ grant_type: 'authorization_code', code: params.get('code'), redirect_uri: returnTo(),
        code_verifier: pending.verifier });
    } catch (e) {
      note(`Sign-in failed: ${e.message}.`);
    }
  }

  function signOut() {
    const ended = tokens;
    tokens = null;
    generation += 1;
    clearTimeout(refreshTimer);
    sessionStorage.removeItem(SIGNED_IN);
    // nobody stays signed in behind the one signing out: a pasted token goes too
    pasted = '';
    el('token').value = '';
    sessionStorage.removeItem(PASTED);
    if (ended && provider.endSessionEndpoint) {
      const query = new URLSearchParams({ client_id: provider.clientId, post_logout_redirect_uri: returnTo() });
      if (ended.idToken) query.set('id_token_hint', ended.idToken);
      window.location.assign(`${provider.endSessionEndpoint}?${query}`);
      return;
    }
    changed();
  }

  async function start() {
    localStorage.removeItem(PASTED); // never kept there: it outlives the tab, on disk
    pasted = sessionStorage.getItem(PASTED) || '';
    el('token').value = pasted;
    el('token').addEventListener('change', () => {
      pasted = el('token').value.trim();
      sessionStorage.setItem(PASTED, pasted);
      changed();
    });
    el('sign-in').addEventListener('click', () => signIn(false));
    el('sign-out').addEventListener('click', signOut);
    const response = await fetch(`${api}/sign-in`).catch(() => null);
    if (response && response.ok) {
      provider = (await response.json()).provider;
    } else {
      note('Sign-in is unavailable for now; a pasted token still works.');
    }
    const params = new URLSearchParams(window.location.search);
    if (provider && (params.has('code') || params.has('error'))) {
      await complete(params);
    } else if (provider && sessionStorage.getItem(SIGNED_IN) === '1') {
      await signIn(true);
      return;
    }
    changed();
  }

  return { token, start, onChange: (listener) => listeners.push(listener) };
})();
