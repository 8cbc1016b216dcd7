// Aegis web app: submit a job, then follow its Server-Sent Events with an EventSource. An EventSource
// cannot send the bearer token, so each connection is opened with a single-use stream ticket instead.
const $ = (id) => document.getElementById(id);
const api = '/api/v1';
let current = null;

// the bearer token of whoever is signed in (session.js)
function headers(extra = {}) {
  return { Authorization: `Bearer ${session.token()}`, ...extra };
}

async function problemText(response) {
  try {
    const problem = await response.json();
    return `${problem.detail || problem.title} (${problem.code || response.status})`;
  } catch {
    return `HTTP ${response.status}`;
  }
}

// What can be run: the BLAST programs (from the pipeline's own definition) and the databases; a
// database whose type does not fit the chosen program is shown but cannot be picked.
let programs = [];
let databases = [];
let declared = [];   // the blast pipeline's parameters, each with its type, default, range and when it applies

async function loadCatalog() {
  if (!session.token()) return;
  const [pipelines, dbs] = await Promise.all([
    fetch(`${api}/pipelines`, { headers: headers() }), fetch(`${api}/databases`, { headers: headers() })]);
  if (pipelines.ok) {
    const blast = (await pipelines.json()).find((pipeline) => pipeline.name === 'blast');
    const program = blast && blast.parameters.find((parameter) => parameter.name === 'program');
    if (program) programs = program.choices;
    if (blast) declared = blast.parameters.filter((parameter) => parameter.name !== 'program');
    if (blast && Array.isArray(blast.steps)) stepTitles = Object.fromEntries(blast.steps.map((step) => [step.key, step.title || step.key]));
  }
  if (dbs.ok) databases = await dbs.json();
  showPrograms();
  showDatabases();
  showParams();
}

function showPrograms() {
  if (!programs.length) return;
  const select = $('program');
  const chosen = select.value;
  select.replaceChildren(...programs.map((choice) => {
    const option = document.createElement('option');
    option.value = choice.value;
    option.textContent = choice.value;
    option.title = choice.description || '';
    return option;
  }));
  if (programs.some((choice) => choice.value === chosen)) select.value = chosen;
}

function showDatabases() {
  const wanted = (programs.find((choice) => choice.value === $('program').value) || {}).database;
  const select = $('database');
  const chosen = select.value;
  select.replaceChildren(...databases.map((db) => {
    const option = document.createElement('option');
    option.value = db.name;
    option.textContent = `${db.name} (${db.type}, ${db.sequences} sequences)`;
    option.disabled = Boolean(wanted) && db.type !== wanted;
    return option;
  }));
  const usable = [...select.options].filter((option) => !option.disabled);
  if (usable.some((option) => option.value === chosen)) select.value = chosen;
  else if (usable.length) select.value = usable[0].value;
}

$('program').addEventListener('change', () => { showDatabases(); showParams(); });

// Every parameter of the chosen program, from the pipeline's definition: its field, its default and its
// range. A parameter that applies to other programs only is not shown (nor sent); a field left empty
// takes the default. Each declaration keeps its field across program changes, so a value typed stays.
const applies = (parameter, program) => !parameter.when || !parameter.when.program || parameter.when.program.includes(program);

function rangeText(parameter) {
  const low = parameter.min == null ? null : `${parameter.exclusiveMin ? '>' : '≥'} ${parameter.min}`;
  const high = parameter.max == null ? null : `≤ ${parameter.max}`;
  const range = [low, high].filter(Boolean).join(' and ');
  const fallback = parameter.default == null ? "BLAST's default" : `default ${parameter.default}`;
  return `${fallback}${range ? `; ${range}` : ''}`;
}

function paramField(parameter, index) {
  const box = document.createElement('div');
  box.className = 'param';
  box.dataset.index = String(index);
  box.dataset.name = parameter.name;
  const id = `param-${index}`;
  const label = document.createElement('label');
  label.htmlFor = id;
  label.textContent = parameter.name;
  let field;
  if (parameter.type === 'choice') {
    field = document.createElement('select');
    const none = document.createElement('option');
    none.value = '';
    none.textContent = parameter.default == null ? "BLAST's default" : `${parameter.default} (default)`;
    field.append(none, ...parameter.choices.filter((choice) => String(choice.value) !== String(parameter.default)).map((choice) => {
      const option = document.createElement('option');
      option.value = choice.value;
      option.textContent = choice.value;
      return option;
    }));
  } else {
    field = document.createElement('input');
    field.type = 'number';
    field.step = parameter.type === 'integer' ? '1' : 'any';
    if (parameter.min != null) field.min = String(parameter.min);
    if (parameter.max != null) field.max = String(parameter.max);
    field.placeholder = parameter.default == null ? "BLAST's default" : String(parameter.default);
  }
  field.id = id;
  field.name = parameter.name;
  const hint = document.createElement('small');
  hint.id = `${id}-hint`;
  hint.className = 'hint';
  hint.textContent = rangeText(parameter);
  hint.title = parameter.description || '';
  field.setAttribute('aria-describedby', hint.id);
  field.addEventListener(parameter.type === 'choice' ? 'change' : 'input', () => { $('error').hidden = true; });
  box.append(label, field, hint);
  return box;
}

function showParams() {
  const fields = $('params-fields');
  if (!declared.length) return;
  if (fields.children.length !== declared.length) fields.replaceChildren(...declared.map(paramField));
  const program = $('program').value;
  for (const box of fields.children) box.hidden = !applies(declared[Number(box.dataset.index)], program);
  $('params-program').textContent = program;
  $('params').hidden = false;
}

// What the form sends: the program and every parameter of it given a value, typed as the pipeline declares.
function chosenParams() {
  const params = { program: $('program').value };
  for (const box of $('params-fields').children) {
    const parameter = declared[Number(box.dataset.index)];
    const value = box.querySelector('input, select').value.trim();
    if (box.hidden || value === '') continue;
    params[parameter.name] = parameter.type === 'choice' ? value : Number(value);
  }
  return params;
}

// Fills the form with a job's database and parameters (edit and run again), and its queries when they
// were fetched (its input.fasta artifact); without them the form says so and asks for them.
function prefill(from, fasta) {
  const params = from.params || {};
  if (params.program && [...$('program').options].some((option) => option.value === params.program)) $('program').value = params.program;
  showDatabases();
  if ([...$('database').options].some((option) => option.value === from.database && !option.disabled)) $('database').value = from.database;
  showParams();
  for (const box of $('params-fields').children) {
    if (box.hidden) continue;
    const field = box.querySelector('input, select');
    const value = params[box.dataset.name];
    field.value = value == null ? '' : String(value);
    const parameter = declared[Number(box.dataset.index)];
    if (field.tagName === 'SELECT' && String(value) === String(parameter.default)) field.value = '';
  }
  const queries = from.sequenceCount ? `${from.sequenceCount} ${from.sequenceCount === 1 ? 'query' : 'queries'}` : 'its queries';
  const filled = `Filled from job ${from.id}${from.name ? ` (${from.name})` : ''}`;
  $('file').value = '';
  if (fasta != null) {
    $('fasta').value = fasta;
    $('resubmit-note').textContent = `${filled}, its ${queries} included: change what you want, then Run.`;
  } else {
    $('fasta').value = '';
    $('resubmit-note').textContent = `${filled}, but its queries are not kept with it: paste or choose ${queries}`
      + `${from.fileName ? ` (${from.fileName})` : ''} again, change what you want, then Run.`;
  }
  $('resubmit-note').hidden = false;
  $('fasta').focus();
}

// The queries a job was submitted with (its input.fasta artifact, as large as the gateway's FASTA limit
// lets a submission be), or null when the job has none ready (finalized before its input was kept) or
// the gateway is not answering.
async function jobInput(id) {
  const response = await fetch(`${api}/jobs/${encodeURIComponent(id)}/artifacts/input.fasta`, { headers: headers() })
    .catch(() => null);
  return response && response.status === 200 ? response.text().catch(() => null) : null;
}

// What is shown is what is submitted: the queries pasted or the file chosen, whichever came last.
$('fasta').addEventListener('input', () => { $('file').value = ''; });
// an error about what was submitted goes once what it was about is changed
for (const field of ['fasta', 'file', 'program', 'database']) {
  $(field).addEventListener(field === 'fasta' ? 'input' : 'change', () => { $('error').hidden = true; });
}
$('file').addEventListener('change', () => { if ($('file').files.length) $('fasta').value = ''; });

// One job per Run: the button is off while its submit is on its way, so a double click submits once.
let submitting = false;
$('submit').addEventListener('submit', async (event) => {
  event.preventDefault();
  if (submitting) return;
  submitting = true;
  const run = $('submit').querySelector('button[type=submit]');
  run.disabled = true;
  $('error').hidden = true;
  try {
    const form = new FormData();
    const file = $('file').files[0];
    form.append('file', file || new Blob([$('fasta').value], { type: 'text/plain' }), file ? file.name : 'pasted.fasta');
    form.append('database', $('database').value);
    form.append('params', JSON.stringify(chosenParams()));
    form.append('reuse', String($('reuse').checked));
    const response = await fetch(`${api}/jobs`, { method: 'POST', headers: headers(), body: form }).catch(() => null);
    if (!response || response.status !== 202) {
      $('error').textContent = response ? await problemText(response) : 'The gateway is not answering; try again.';
      $('error').hidden = false;
      return;
    }
    const submitted = await response.json();
    $('resubmit-note').hidden = true;
    go(`/jobs/${encodeURIComponent(submitted.id)}`, submitted);
  } finally {
    submitting = false;
    run.disabled = false;
  }
});

const FINISHED = ['SUCCEEDED', 'FAILED', 'CANCELLED'];
// A failed or cancelled job can run again as its next attempt (job-service answers 409 for any other).
const RETRYABLE = ['FAILED', 'CANCELLED'];

// What the page knows of the open job, merged from the answers and events as they come.
let job = null;

function show(update) {
  const known = job && job.id === current ? job : {};
  job = { ...known, ...update, id: current };
  // an answer read before the job ended (a cancel's CANCELLING, a poll) does not undo its end; a retry's
  // next attempt does
  if (FINISHED.includes(known.status) && !FINISHED.includes(update.status) && !(update.attempt > known.attempt)) {
    job.status = known.status;
  }
  $('job').hidden = false;
  $('job-id').textContent = job.id;
  $('status').textContent = job.status || '';
  $('status').className = `badge ${job.status || ''}`;
  $('cancel').hidden = FINISHED.includes(job.status);
  $('retry').hidden = !RETRYABLE.includes(job.status);
  $('retry').disabled = false;
  // the job's own error, in a banner of its own: never a log line, gone once an attempt runs again
  const failed = job.status === 'FAILED' && (job.error || job.errorCode);
  $('job-error').textContent = failed ? [job.errorCode, job.error].filter(Boolean).join(': ') : '';
  $('job-error').hidden = !failed;
  if (job.reusedFrom) note(`Reused the results of the identical job ${job.reusedFrom}.`);
  else if (job.status === 'CANCELLED') note('Cancelled.');
  else if (job.status === 'CANCELLING') note('Cancelling…');
  else if (job.status === 'QUEUED' && job.queuePosition) note(`Waiting: number ${job.queuePosition} in the queue. ${attemptNote(job)}`.trim());
  else if (!FINISHED.includes(job.status)) note(attemptNote(job));
  else note('');
  showFacts(job);
  if (Array.isArray(update.steps)) showSteps(update.steps);
  followQueue(job);
  syncRow(job);
}

// Why an unfinished job is on a later attempt, from the attempt it replaced (job-service keeps them
// all, oldest first); empty for a first attempt.
function attemptNote(job) {
  if (!(job.attempt > 1)) return '';
  const replaced = (job.earlierAttempts || []).at(-1);
  if (replaced && replaced.endedBy === 'retried') {
    const how = replaced.status === 'CANCELLED' ? 'was cancelled'
      : `failed: ${replaced.error || replaced.errorCode || 'no reason given'}`;
    return `Attempt ${job.attempt}: retried after attempt ${replaced.attempt} ${how}.`.replace(/\.\.$/, '.');
  }
  if (replaced && replaced.endedBy === 'not_taken') return `Attempt ${job.attempt}: no worker took attempt ${replaced.attempt} in time.`;
  return `Attempt ${job.attempt}: the previous worker stopped answering.`;
}

// ---------------------------------------------------------------- the job's facts and steps

const when = (iso) => new Date(iso).toLocaleString();

// A duration as a reader takes it in: 35 ms, 0.4 s, 12 s, 3 min 5 s, 2 h 10 min.
function duration(ms) {
  if (typeof ms !== 'number' || !(ms >= 0)) return '';
  if (ms < 100) return `${Math.round(ms)} ms`;
  if (ms < 10000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

function facts(id, rows) {
  $(id).replaceChildren(...rows.flatMap(([label, value]) => {
    const dt = document.createElement('dt');
    dt.textContent = label;
    const dd = document.createElement('dd');
    dd.append(value);
    return [dt, dd];
  }));
}

function timeOf(iso) {
  const time = document.createElement('time');
  time.dateTime = iso;
  time.textContent = when(iso);
  return time;
}

// When the job was submitted, started and ended, and what it was asked to do: its parameters as sent.
function showFacts(shown) {
  const times = [['Submitted', shown.createdAt], ['Started', shown.startedAt], ['Ended', shown.finishedAt]]
    .filter(([, at]) => at).map(([label, at]) => [label, timeOf(at)]);
  if (shown.createdAt && shown.startedAt) times.push(['Waited', duration(Date.parse(shown.startedAt) - Date.parse(shown.createdAt))]);
  if (shown.startedAt && shown.finishedAt) times.push(['Ran for', duration(Date.parse(shown.finishedAt) - Date.parse(shown.startedAt))]);
  facts('job-times', times);
  const params = [['Name', shown.name], ['File', shown.fileName], ['Pipeline', shown.pipeline], ['Database', shown.database],
    ['Queries', shown.sequenceCount ? shown.sequenceCount.toLocaleString() : null],
    ...Object.entries(shown.params || {}).map(([name, value]) => [name, String(value)])];
  facts('job-params', params.filter(([, value]) => value != null && value !== ''));
}

// The steps of the pipeline, in order, each with its state and how long it ran (a running step's time
// goes on as it runs). Titles come from the pipeline's definition where the catalog gave them.
let stepTitles = {};
let stepsTimer = null;

const stepState = (step) => {
  const state = String(step.status || '').toLowerCase();
  return state === 'failed' && /cancel/i.test(step.error || '') ? 'cancelled' : state;
};

function stepTime(step) {
  if (typeof step.durationMs === 'number') return step.durationMs;
  if (step.startedAt && step.completedAt) return Date.parse(step.completedAt) - Date.parse(step.startedAt);
  if (step.startedAt && stepState(step) === 'running') return Date.now() - Date.parse(step.startedAt);
  return null;
}

function showSteps(steps) {
  if (job) job.steps = steps;
  $('steps').replaceChildren(...steps.map((step) => {
    const li = document.createElement('li');
    const state = stepState(step);
    li.dataset.step = step.key;
    li.className = `step ${state}`;
    const name = document.createElement('span');
    name.className = 'step-name';
    name.textContent = stepTitles[step.key] || step.key;
    const badge = document.createElement('span');
    badge.className = 'step-state';
    badge.textContent = state || 'pending';
    const time = document.createElement('span');
    time.className = 'step-time';
    time.textContent = duration(stepTime(step));
    li.append(name, ' ', badge, ' ', time);
    if (step.error && state === 'failed') {
      const error = document.createElement('span');
      error.className = 'step-error';
      error.textContent = step.error;
      li.append(' ', error);
    }
    return li;
  }));
  clearInterval(stepsTimer);
  if (steps.some((step) => stepState(step) === 'running')) {
    stepsTimer = setInterval(() => {
      for (const li of $('steps').querySelectorAll('li.running')) {
        const step = ((job && job.steps) || []).find((s) => s.key === li.dataset.step);
        if (step) li.querySelector('.step-time').textContent = duration(stepTime(step));
      }
    }, 1000);
  }
}

// The steps as job-service has them now: read again when a step starts or ends, at most once at a time.
async function refreshSteps(id) {
  if (refreshSteps.busy === id) { refreshSteps.again = true; return; }
  refreshSteps.busy = id;
  const response = await fetch(`${api}/jobs/${id}/execution-steps`, { headers: headers() }).catch(() => null);
  const answer = response && response.ok ? await response.json().catch(() => null) : null;
  if (answer && Array.isArray(answer.steps) && current === id) showSteps(answer.steps);
  refreshSteps.busy = null;
  if (refreshSteps.again) { refreshSteps.again = false; refreshSteps(id); }
}

// While the job waits in the queue its place changes as others start or leave: it is read again every
// few seconds (the event stream tells of progress, not of the queue).
function followQueue(shown) {
  const watch = watching;
  if (!watch || watch.id !== shown.id || watch.queueTimer || shown.status !== 'QUEUED') return;
  watch.queueTimer = setTimeout(async () => {
    const response = await fetch(`${api}/jobs/${watch.id}`, { headers: headers() }).catch(() => null);
    watch.queueTimer = null;
    if (watching !== watch || watch.ended) return;
    const shownNow = response && response.ok ? await response.json().catch(() => null) : null;
    if (shownNow) show(shownNow);
    else followQueue(shown);
  }, 4000);
}

// ---------------------------------------------------------------- the log: follow its tail, or pause

let following = true;
let held = 0;

function showFollowing() {
  // a toggle: one label, its state in aria-pressed (pressed: following is paused)
  $('log-pause').setAttribute('aria-pressed', String(!following));
  $('log-held').textContent = !following && held ? `${held.toLocaleString()} new line${held === 1 ? '' : 's'} below` : '';
}

$('log-pause').addEventListener('click', () => {
  following = !following;
  held = 0;
  if (following) $('log').scrollTop = $('log').scrollHeight;
  showFollowing();
});

// A status region: written only when it changes, so that a screen reader says each note once.
function note(text) {
  if ($('job-note').textContent !== text) $('job-note').textContent = text;
  $('job-note').hidden = !text;
}

// A cancel, retry or download that did not go through; cleared by the next one that does.
function problem(text) {
  $('job-problem').textContent = text;
  $('job-problem').hidden = !text;
}

function streamNote(text) {
  $('stream-note').textContent = text;
  $('stream-note').hidden = !text;
}

// Cancel asks first: a running search is lost once cancelled.
$('cancel').addEventListener('click', () => {
  if (current) $('cancel-confirm').showModal();
});
$('cancel-no').addEventListener('click', () => $('cancel-confirm').close());
$('cancel-yes').addEventListener('click', async () => {
  $('cancel-confirm').close();
  if (!current) return;
  const id = current;
  if (watching && watching.id === id) watching.cancelling = true;
  $('cancel').disabled = true; // one cancel at a time, until it is answered
  const response = await fetch(`${api}/jobs/${id}/cancel`, { method: 'POST', headers: headers() }).catch(() => null);
  $('cancel').disabled = false;
  if (current !== id) return;
  if (response && response.ok) {
    problem('');
    show(await response.json());
  } else {
    problem(`Cancel: ${response ? await problemText(response) : 'the gateway is not answering; try again.'}`);
  }
});

// Edit and run again: the new-job form, filled with this job's queries, database and parameters.
$('resubmit').addEventListener('click', async () => {
  if (!job || job.id !== current) return;
  const from = { ...job };
  $('resubmit').disabled = true;
  const fasta = await jobInput(from.id);
  $('resubmit').disabled = false;
  if (current !== from.id) return;
  go('/');
  prefill(from, fasta);
});

// The job runs again as its next attempt, followed from the start like a new job.
$('retry').addEventListener('click', async () => {
  if (!current) return;
  const id = current;
  $('retry').disabled = true;
  const response = await fetch(`${api}/jobs/${id}/retry`, { method: 'POST', headers: headers() }).catch(() => null);
  if (current !== id) return;
  $('retry').disabled = false;
  if (response && response.status === 202) {
    problem('');
    follow(await response.json());
    loadHistory(true);
  } else {
    problem(`Retry: ${response ? await problemText(response) : 'the gateway is not answering'}`);
  }
});

function progress(done, total, step) {
  // an event without counts (a step's end, an older producer) leaves them as they are
  if (typeof done !== 'number' || typeof total !== 'number') {
    const known = (job && job.progress) || {};
    if (typeof known.done !== 'number' || typeof known.total !== 'number') return;
    ({ done, total } = known);
  }
  $('bar').max = Math.max(total, 1);
  $('bar').value = done;
  $('progress-text').textContent = `${done.toLocaleString()} of ${total.toLocaleString()} sequences${step ? ` · ${step}` : ''}`;
  if (job && job.id === current) {
    job.progress = { done, total };
    syncRow(job);
  }
}

// A line at the end of the log: followed, the log scrolls to it; paused, it stays where the reader is.
function appendLog(text) {
  const log = $('log');
  log.append(text + '\n');
  if (following) {
    log.scrollTop = log.scrollHeight;
  } else {
    held += 1;
    showFollowing();
  }
}

// Event ids are `<epoch>-<n>` (log-stream-service): n counts a job's events, and a buffer created
// again starts a later epoch. A bare number (an older stream) reads as n of epoch 0.
function eventId(id) {
  const match = /^(\d+)-(\d+)$/.exec(id || '') || /^()(\d+)$/.exec(id || '');
  return match ? [Number(match[1] || 0), Number(match[2])] : null;
}

// Whether event `id` comes after `last`: an event at or before the last one shown was shown already.
function isAfter(id, last) {
  const a = eventId(id);
  const b = eventId(last);
  if (!a || !b) return true;
  return a[0] !== b[0] ? a[0] > b[0] : a[1] > b[1];
}

// The job being followed: its EventSource, its timers, the id of the last event shown (a new
// connection resumes after it) and the log lines shown (attempt and seq), so that no line is shown
// twice whatever a reconnection replays, even after the server's buffer started a new epoch.
let watching = null;
const EVENT_TYPES = ['snapshot', 'progress', 'step', 'log', 'artifact', 'gap', 'dropped', 'succeeded', 'failed', 'cancelled', 'end'];
// The cursor before a job's first event: a job opened now shows its whole log, as far as the
// server's replay buffer holds it (a day, 10,000 events); past that, the log chunks (finished()).
const FROM_START = '0-0';

function stopWatching() {
  if (!watching) return;
  watching.ended = true;
  if (watching.source) watching.source.close();
  clearTimeout(watching.timer);
  clearTimeout(watching.pollTimer);
  clearTimeout(watching.queueTimer);
  clearInterval(stepsTimer);
  watching = null;
}

function follow(started) {
  stopWatching();
  current = started.id;
  job = null;
  note('');
  problem('');
  streamNote('');
  $('log').textContent = '';
  following = true;
  held = 0;
  showFollowing();
  $('artifacts').replaceChildren();
  $('steps').replaceChildren();
  resetResults();
  progress(0, started.sequenceCount || 0, started.step);
  watching = { id: started.id, source: null, timer: null, pollTimer: null, queueTimer: null, lastId: FROM_START,
    lines: new Set(), failures: 0, pollRound: 0, ended: false, gap: false, cancelling: false, finishedAt: 0 };
  show(started);
  if (!Array.isArray(started.steps)) refreshSteps(started.id);
  openStream(watching);
}

// Opens the job's stream: a ticket opens one connection, once, so every (re)connection asks for a
// fresh one and resumes after the last event shown (a new EventSource cannot send Last-Event-ID, so
// it goes in the query). It never gives up while the job runs: a stream that cannot be opened or
// breaks is tried again, sooner at first, then every 5 s, with the job polled meanwhile.
async function openStream(watch) {
  watch.timer = null;
  const response = await fetch(`${api}/jobs/${watch.id}/stream-ticket`, { method: 'POST', headers: headers() }).catch(() => null);
  if (watch.ended) return;
  if (response && response.status === 404) {
    stopWatching();
    missing(watch.id);
    return;
  }
  if (!response || !response.ok) {
    retry(watch, response ? await problemText(response) : 'the gateway is not answering');
    return;
  }
  const { ticket } = await response.json();
  if (watch.ended) return;
  const query = new URLSearchParams({ ticket, lastEventId: watch.lastId });
  const source = new EventSource(`${api}/jobs/${watch.id}/events?${query}`);
  watch.source = source;
  for (const type of EVENT_TYPES) {
    source.addEventListener(type, (event) => {
      if (watch.ended || watch.source !== source) return;
      if (watch.failures) connected(watch);
      if (type !== 'snapshot' && type !== 'end' && event.lastEventId) {
        if (!isAfter(event.lastEventId, watch.lastId)) return; // shown already
        watch.lastId = event.lastEventId;
      }
      handle(type, event.data ? JSON.parse(event.data) : {}, watch);
    });
  }
  source.onerror = () => {
    // the browser would reconnect with the same, spent ticket: reconnect here with a new one instead
    source.close();
    if (watch.source === source) watch.source = null;
    if (!watch.ended) retry(watch, 'the connection broke');
  };
}

function connected(watch) {
  watch.failures = 0;
  stopPolling(watch);
  streamNote('');
}

function retry(watch, why) {
  watch.failures += 1;
  if (watch.failures >= 2) {
    streamNote(`Live events interrupted (${why}); reconnecting…`);
    startPolling(watch);
  }
  // the job ended (a poll said so) and its stream stays away: the rest of its log from the log chunks
  if (watch.finishedAt && Date.now() - watch.finishedAt > 60000) {
    finished(watch, job, true);
    return;
  }
  watch.timer = setTimeout(() => openStream(watch), Math.min(500 * 2 ** (watch.failures - 1), 5000));
}

// Only while the stream cannot be opened: the job every few seconds, for its state and progress. Its
// log lines come when the stream is back (a poll that finds the job ended does not end the watch).
// Each run of polls has a round of its own: one stopped while its request is on its way ends there.
let pollRounds = 0;

function startPolling(watch) {
  if (watch.pollRound) return;
  pollRounds += 1;
  watch.pollRound = pollRounds;
  poll(watch, pollRounds);
}

function stopPolling(watch) {
  watch.pollRound = 0;
  clearTimeout(watch.pollTimer);
}

async function poll(watch, round) {
  const response = await fetch(`${api}/jobs/${watch.id}`, { headers: headers() }).catch(() => null);
  if (watch.ended || watch.pollRound !== round) return;
  if (response && response.ok) {
    const polled = await response.json();
    show(polled);
    if (polled.progress) progress(polled.progress.done, polled.progress.total, polled.step);
    if (FINISHED.includes(polled.status) && !watch.finishedAt) watch.finishedAt = Date.now();
  }
  watch.pollTimer = setTimeout(() => poll(watch, round), 3000);
}

function logKey(body) {
  return body.seq == null ? null : `${body.attempt ?? ''}:${body.seq}`;
}

function handle(type, body, watch) {
  switch (type) {
    case 'snapshot': show(body); if (body.progress) progress(body.progress.done, body.progress.total, body.step); break;
    case 'progress': progress(body.done, body.total, body.step); break;
    case 'step': {
      progress(body.done, body.total, body.step);
      // a step stopped by a cancel is cancelled, not failed
      const cancelled = body.stepStatus === 'FAILED' && (watch.cancelling || /cancel/i.test(body.error || ''));
      const how = cancelled ? 'cancelled' : `${String(body.stepStatus).toLowerCase()}${body.error ? ` (${body.error})` : ''}`;
      appendLog(`— ${body.step}: ${how}`);
      refreshSteps(watch.id);
      break;
    }
    case 'log': {
      const key = logKey(body);
      if (key && watch.lines.has(key)) break;
      if (key) watch.lines.add(key);
      appendLog(`[${body.source}] ${body.line}`);
      break;
    }
    case 'artifact':
      if (body.state === 'ready' || body.state === 'failed') {
        artifacts(watch.id);
        if (['hits', 'summary.json'].includes(body.name)) results(watch.id);
      }
      break;
    case 'gap':
      watch.gap = true;
      appendLog(body.tailMissing
        ? '… the job ended before its last log lines reached this stream.'
        : `… ${body.skipped == null ? 'some' : body.skipped} earlier events are no longer available here.`);
      break;
    case 'dropped': watch.gap = true; appendLog(`… ${body.count} log lines left out to keep up.`); break;
    case 'succeeded': case 'failed': case 'cancelled':
      finished(watch, { ...body, status: type.toUpperCase() }, watch.gap);
      break;
    case 'end': finished(watch, job, watch.gap); break;
    default: break;
  }
}

// The job's end, from its terminal event (or, when the stream stays away, a poll): no more
// streaming, the results, the history; where the stream could not give every line, the log as
// artifact-service keeps it.
function finished(watch, ended, incomplete) {
  watch.ended = true;
  if (watch.source) watch.source.close();
  clearTimeout(watch.timer);
  clearTimeout(watch.pollTimer);
  clearTimeout(watch.queueTimer);
  streamNote('');
  show({ ...ended, id: watch.id });
  refreshSteps(watch.id);
  if (ended && ended.error) appendLog(`${ended.errorCode}: ${ended.error}`);
  // unless the job is followed anew meanwhile (a retry: the same id, a new attempt without results yet)
  setTimeout(() => {
    if (watching !== watch) return;
    artifacts(watch.id);
    results(watch.id);
    if (incomplete) keptLog(watch);
  }, 1000);
  loadHistory(true);
}

// The job's whole log from its kept chunks (log-0001.txt.gz, …; each line `at [source] line`), shown
// in place of what the stream gave when that had holes. Without chunks, the stream's lines stay.
async function keptLog(watch) {
  const response = await fetch(`${api}/jobs/${watch.id}/artifacts`, { headers: headers() }).catch(() => null);
  if (!response || !response.ok || watching !== watch) return;
  const chunks = (await response.json()).items.filter((item) => /^log-\d+\.txt\.gz$/.test(item.name) && item.state === 'ready')
    .map((item) => item.name).sort();
  if (!chunks.length) return;
  const texts = [];
  for (const name of chunks) {
    const chunk = await fetch(`${api}/jobs/${watch.id}/artifacts/${name}`, { headers: headers() }).catch(() => null);
    if (!chunk || !chunk.ok) return;
    texts.push(await gunzipText(await chunk.arrayBuffer()));
  }
  if (watching !== watch) return;
  const lines = texts.join('').split('\n').filter(Boolean).map((line) => line.replace(/^\S+ (?=\[)/, ''));
  $('log').textContent = lines.map((line) => `${line}\n`).join('');
  if (following) $('log').scrollTop = $('log').scrollHeight;
}

async function gunzipText(bytes) {
  const head = new Uint8Array(bytes, 0, Math.min(2, bytes.byteLength));
  if (head[0] !== 0x1f || head[1] !== 0x8b) return new TextDecoder().decode(bytes); // decoded on the way already
  return new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'))).text();
}


// A finished job's artifacts, each with its state; while some are still being built or made, the list
// is read again every few seconds (artifact events stop with the job's stream).
// BLAST's own formats are made only when someone asks for one (state on_request): the list offers to
// make it, shows it being made (pending), then offers its download, or says why it failed.
const FORMATS = {
  'hits.xml': 'BLAST XML', 'hits.commented.tsv': 'BLAST tabular with comments', 'hits.txt': 'BLAST pairwise text',
  'hits.blast.json': 'BLAST JSON', 'hits.sam': 'SAM',
};
const SETTLED = ['ready', 'failed', 'on_request'];
let artifactsTimer = null;

const bytes = (n) => (typeof n !== 'number' ? '' : n >= 1e9 ? `${(n / 1e9).toFixed(1)} GB` : n >= 1e6 ? `${(n / 1e6).toFixed(1)} MB`
  : n >= 1e3 ? `${(n / 1e3).toFixed(1)} kB` : `${n} bytes`);

async function artifacts(id, attempt = 0) {
  clearTimeout(artifactsTimer);
  const response = await fetch(`${api}/jobs/${id}/artifacts`, { headers: headers() }).catch(() => null);
  if (current !== id) return;
  if (!response || !response.ok) {
    if (attempt < 60) artifactsTimer = setTimeout(() => artifacts(id, attempt + 1), 2000);
    return;
  }
  const items = (await response.json()).items;
  // a list drawn again keeps the keyboard where it was: on the same artifact's control
  const focused = document.activeElement && document.activeElement.closest('#artifacts li');
  const list = $('artifacts');
  list.replaceChildren(...items.map((item) => artifactItem(id, item)));
  if (focused) {
    const again = list.querySelector(`li[data-name="${CSS.escape(focused.dataset.name)}"] a, li[data-name="${CSS.escape(focused.dataset.name)}"] button`);
    if (again) again.focus();
  }
  $('export').hidden = !items.some((item) => item.kind !== 'table' && item.state === 'ready');
  linkOf($('export'), id, 'export');
  const settled = items.every((item) => SETTLED.includes(item.state));
  shown.noHits = settled && !items.some((item) => item.kind === 'table' && item.state === 'ready');
  if (!settled && attempt < 200) {
    const making = items.some((item) => item.state === 'pending' && FORMATS[item.name]);
    artifactsTimer = setTimeout(() => artifacts(id, attempt + 1), making ? retryAfter * 1000 : 3000);
  }
}

function artifactItem(id, item) {
  const li = document.createElement('li');
  li.dataset.name = item.name;
  li.dataset.state = item.state;
  const format = FORMATS[item.name];
  const label = format ? `${format} (${item.name})` : item.name;
  const state = document.createElement('span');
  state.className = 'state';
  if (item.kind === 'table') {
    state.textContent = item.state;
    li.append(`${item.name} (hit table, shown below)`, state);
    return li;
  }
  if (item.state === 'ready') {
    const a = document.createElement('a');
    a.download = item.name;
    a.textContent = `${label}${item.size == null ? '' : `, ${bytes(item.size)}`}`;
    linkOf(a, id, `artifacts/${item.name}`);
    li.append(a);
    return li;
  }
  if (item.state === 'on_request') {
    li.append(`${format || item.name} — made when you ask `);
    const make = document.createElement('button');
    make.type = 'button';
    make.className = 'secondary small';
    make.textContent = `Make ${format || item.name}`;
    make.addEventListener('click', () => makeArtifact(id, item.name, make));
    li.append(make);
    return li;
  }
  if (item.state === 'pending' && format) {
    const bar = document.createElement('progress');
    bar.setAttribute('aria-label', `${format} being made`);
    li.append(`${label} `, bar);
    state.textContent = 'being made…';
    li.append(state);
    return li;
  }
  state.textContent = item.state === 'failed' ? `failed${item.error ? `: ${item.error}` : ''}` : item.state;
  if (item.state === 'failed') state.classList.add('error');
  li.append(label, state);
  return li;
}

// How long to wait before asking again about a format being made (its Retry-After, in seconds).
let retryAfter = 2;

// Asks for a format made on request: the first GET starts making it (202, Retry-After). Only the first
// byte is asked for, and the body is dropped unread: a format made meanwhile is downloaded by its link,
// never into this page.
async function makeArtifact(id, name, button) {
  button.disabled = true;
  const response = await fetch(`${api}/jobs/${id}/artifacts/${encodeURIComponent(name)}`,
    { headers: headers({ Range: 'bytes=0-0' }) }).catch(() => null);
  if (current !== id) return;
  if (!response || !(response.status === 202 || response.ok)) {
    button.disabled = false;
    problem(`Making ${FORMATS[name] || name}: ${response ? await problemText(response) : 'the gateway is not answering; try again.'}`);
    return;
  }
  if (response.body) response.body.cancel().catch(() => {});
  problem('');
  const wait = Number(response.headers.get('Retry-After'));
  if (wait > 0) retryAfter = Math.min(wait, 30);
  artifacts(id);
}

// Downloads are plain links the browser follows and streams to disk with its own progress. The API
// needs a bearer token, which a link cannot send, so a link is signed by the gateway for this one path
// for about a minute: asked for at the click when the link in hand is missing or about to expire.
function linkOf(a, id, what) {
  a.href = `${api}/jobs/${id}/${what}`;
  a.dataset.what = what;
  a.dataset.job = id;
  delete a.dataset.expires;
}

async function download(event) {
  const a = event.currentTarget;
  if (Number(a.dataset.expires) - Date.now() > 10000) return; // a fresh link: the browser follows it
  event.preventDefault();
  const response = await fetch(`${api}/jobs/${a.dataset.job}/download-links`, {
    method: 'POST', headers: headers({ 'Content-Type': 'application/json' }), body: JSON.stringify({ path: a.dataset.what }),
  }).catch(() => null);
  if (!response || response.status !== 201) {
    problem(`Download failed: ${response ? await problemText(response) : 'the gateway is not answering; try again.'}`);
    return;
  }
  const link = await response.json().catch(() => null);
  if (!link) {
    problem('Download failed: the gateway gave no link; try again.');
    return;
  }
  problem('');
  a.href = link.url;
  a.dataset.expires = String(Date.parse(link.expiresAt));
  a.click();
}

$('artifacts').addEventListener('click', (event) => {
  const a = event.target.closest && event.target.closest('a[download]');
  if (a) download({ currentTarget: a, preventDefault: () => event.preventDefault() });
});
$('export').addEventListener('click', download);

// The results of a finished job: its summary and its hits, a page at a time, sorted and filtered on
// the server. Until they are built (409, or 404 before finalizing starts) the page says so and asks
// again every few seconds.
let resultsTimer = null;
let hitsCursor = null;
// What is on the page already (a later poll leaves it, and the reader's paging, alone), and whether
// every artifact has settled without a hit table (then there is nothing to wait for).
const shown = { summary: false, hits: false, noHits: false };

function resetResults() {
  clearTimeout(resultsTimer);
  clearTimeout(artifactsTimer);
  hitsCursor = null;
  Object.assign(shown, { summary: false, hits: false, noHits: false });
  $('export').hidden = true;
  $('results').hidden = true;
  $('summary').hidden = true;
  $('hits-view').hidden = true;
  $('alignment').hidden = true;
  $('overview').hidden = true;
  $('overview-figure').replaceChildren();
  if (overviewUrl) URL.revokeObjectURL(overviewUrl);
  overviewUrl = null;
  $('overview-export').hidden = true;
  $('hits').replaceChildren();
  $('hits-head').replaceChildren();
  $('hits-query').value = '';
  $('hits-sort').value = 'evalue';
}

function resultsNote(text) {
  $('results-note').textContent = text;
  $('results-note').hidden = !text;
}

async function results(id, attempt = 0) {
  clearTimeout(resultsTimer);
  $('results').hidden = false;
  const [summary, page] = await Promise.all([
    shown.summary ? null : fetch(`${api}/jobs/${id}/results/summary`, { headers: headers() }).catch(() => null),
    shown.hits ? null : fetchHits(id, null)]);
  if (current !== id) return;
  if (summary && summary.ok) {
    showSummary(await summary.json());
    shown.summary = true;
  }
  if (page && page.ok) {
    showHits(await page.json(), true);
    shown.hits = true;
  }
  const waiting = !shown.summary || !shown.hits;
  if (waiting && shown.noHits) {
    resultsNote(shown.hits || shown.summary ? '' : 'This job has no hit table.');
  } else if (waiting && attempt < 100) {
    resultsNote('The results are being prepared…');
    resultsTimer = setTimeout(() => results(id, attempt + 1), 3000);
  } else if (waiting) {
    resultsNote('The results are not available.');
  } else {
    resultsNote('');
  }
}

function fetchHits(id, cursor) {
  const query = new URLSearchParams({ sort: $('hits-sort').value, limit: '50' });
  if ($('hits-query').value.trim()) query.set('query', $('hits-query').value.trim());
  if (cursor) query.set('cursor', cursor);
  return fetch(`${api}/jobs/${id}/results/hits?${query}`, { headers: headers() }).catch(() => null);
}

const num = (value, digits) => (typeof value === 'number' ? value.toLocaleString(undefined, { maximumFractionDigits: digits }) : String(value ?? ''));
const evalue = (value) => (typeof value === 'number' && value !== 0 && Math.abs(value) < 1e-3 ? value.toExponential(1) : num(value, 4));

function cells(values) {
  const tr = document.createElement('tr');
  tr.append(...values.map((text) => { const td = document.createElement('td'); td.textContent = text; return td; }));
  return tr;
}

function showSummary(summary) {
  $('summary').hidden = false;
  $('summary-counts').textContent = `${num(summary.hits)} hits · ${num(summary.queriesWithHits)}`
    + `${summary.queries != null ? ` of ${num(summary.queries)}` : ''} queries with hits`;
  const top = (summary.topSubjects || []).slice(0, 5).map((s) => `${s.subject} (${num(s.hits)})`);
  $('summary-subjects').textContent = top.length ? `Top subjects: ${top.join(', ')}${summary.topSubjectsExact === false ? ' (approximate)' : ''}` : '';
  // every query of the job, in input order (a summary made before queries without hits were listed has
  // only those with hits); one without hits says so
  const queries = summary.perQuery || [];
  const rows = queries.map((q) => {
    if (q.hits > 0) return cells([q.query, num(q.hits), evalue(q.bestEvalue), num(q.bestBitscore, 1)]);
    const row = cells([q.query, '0', 'no hits', '']);
    row.className = 'no-hits';
    return row;
  });
  $('summary-queries').replaceChildren(...rows);
  overviewQueries(queries.filter((q) => q.hits > 0).map((q) => q.query));
}

// ---------------------------------------------------------------- one hit's alignment

// The hit's pairwise alignment as BLAST draws it (artifact-service's text form), below the table.
async function showAlignment(id, hit) {
  const response = await fetch(`${api}/jobs/${id}/results/hits/${hit.ord}/alignment?format=text`, { headers: headers() }).catch(() => null);
  if (current !== id) return;
  $('alignment').hidden = false;
  $('alignment-title').textContent = `Alignment of ${hit.sseqid || `hit ${hit.ord}`} for ${hit.qseqid || 'the query'}`;
  $('alignment-text').textContent = response && response.ok ? await response.text()
    : `Not available: ${response ? await problemText(response) : 'the gateway is not answering'}`;
  $('alignment').scrollIntoView({ block: 'nearest' });
  $('alignment-title').focus({ preventScroll: true });
}

$('alignment-close').addEventListener('click', () => { $('alignment').hidden = true; $('hits-total').focus(); });

// ---------------------------------------------------------------- the overview of a query's hits

// Where each hit aligns on the query, as a figure: the query as a ruler from 1 to its length, a bar per
// hit from qstart to qend, coloured by bit score in BLAST's own bands, the best first. It is an SVG the
// reader can save as a file.
const SVG = 'http://www.w3.org/2000/svg';
const BANDS = [[200, '#d7191c', '≥ 200'], [80, '#b8359c', '80–200'], [50, '#1a9641', '50–80'], [40, '#2b6cb0', '40–50'], [-Infinity, '#222222', '< 40']];
const band = (bits) => BANDS.find(([low]) => bits >= low);
let overviewUrl = null;

function svg(name, attributes = {}, text = null) {
  const node = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, String(value));
  if (text != null) node.textContent = text;
  return node;
}

// The figure for one query's hits (pure: the same hits draw the same figure).
function overviewFigure(query, hits) {
  const qlen = Math.max(1, ...hits.map((hit) => Number(hit.qlen) || 0), ...hits.map((hit) => Math.max(hit.qstart, hit.qend)));
  const width = 760;
  const left = 20;
  const span = width - 2 * left;
  const x = (pos) => left + ((pos - 1) / Math.max(qlen - 1, 1)) * span;
  const top = 58;
  const rowHeight = 9;
  const height = top + hits.length * rowHeight + 40;
  const figure = svg('svg', { width, height, viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-labelledby': 'overview-svg-title',
    'font-family': 'sans-serif', 'font-size': 11 });
  figure.append(svg('title', { id: 'overview-svg-title' }, `Where ${hits.length} hits align on ${query} (${qlen} long)`));
  figure.append(svg('rect', { x: 0, y: 0, width, height, fill: '#ffffff' }));
  figure.append(svg('text', { x: left, y: 16, 'font-weight': 'bold' }, `${query}: ${hits.length} hits on ${qlen} positions`));
  figure.append(svg('rect', { x: left, y: 26, width: span, height: 6, fill: '#1d3557' }));
  const ticks = [...new Set([1, ...[0.25, 0.5, 0.75].map((f) => Math.max(1, Math.round(qlen * f))), qlen])];
  for (const tick of ticks) {
    figure.append(svg('line', { x1: x(tick), x2: x(tick), y1: 32, y2: 38, stroke: '#1d3557' }));
    figure.append(svg('text', { x: x(tick), y: 50, 'text-anchor': tick === 1 ? 'start' : tick === qlen ? 'end' : 'middle' }, tick));
  }
  hits.forEach((hit, i) => {
    const from = Math.min(hit.qstart, hit.qend);
    const to = Math.max(hit.qstart, hit.qend);
    const bar = svg('rect', { x: x(from), y: top + i * rowHeight, width: Math.max(1, x(to) - x(from)), height: rowHeight - 3,
      fill: band(Number(hit.bitscore))[1], 'data-ord': hit.ord ?? '' });
    bar.append(svg('title', {}, `${hit.sseqid || ''} ${from}–${to}, ${num(hit.bitscore, 1)} bits, e-value ${evalue(hit.evalue)}`));
    figure.append(bar);
  });
  const legend = top + hits.length * rowHeight + 16;
  figure.append(svg('text', { x: left, y: legend + 9 }, 'Bit score:'));
  BANDS.forEach(([, colour, label], i) => {
    figure.append(svg('rect', { x: left + 70 + i * 110, y: legend, width: 14, height: 10, fill: colour }));
    figure.append(svg('text', { x: left + 90 + i * 110, y: legend + 9 }, label));
  });
  return figure;
}

function overviewQueries(queries) {
  const select = $('overview-query');
  const chosen = select.value;
  select.replaceChildren(...queries.map((query) => { const option = document.createElement('option'); option.textContent = query; return option; }));
  $('overview').hidden = !queries.length;
  if (!queries.length) return;
  select.value = queries.includes(chosen) ? chosen : queries[0];
  drawOverview(current);
}

async function drawOverview(id) {
  const query = $('overview-query').value;
  if (!id || !query) return;
  const params = new URLSearchParams({ query, sort: 'bitscore', limit: '100' });
  const response = await fetch(`${api}/jobs/${id}/results/hits?${params}`, { headers: headers() }).catch(() => null);
  if (current !== id || $('overview-query').value !== query) return;
  if (!response || !response.ok) {
    $('overview-note').textContent = `Overview: ${response ? await problemText(response) : 'the gateway is not answering'}`;
    return;
  }
  const page = await response.json();
  const hits = page.items.filter((hit) => typeof hit.qstart === 'number' && typeof hit.qend === 'number');
  $('overview-note').textContent = page.total > hits.length ? `The best ${hits.length} of ${num(page.total)} hits by bit score.` : '';
  const figure = overviewFigure(query, hits);
  $('overview-figure').replaceChildren(figure);
  if (overviewUrl) URL.revokeObjectURL(overviewUrl);
  overviewUrl = URL.createObjectURL(new Blob([new XMLSerializer().serializeToString(figure)], { type: 'image/svg+xml' }));
  $('overview-export').href = overviewUrl;
  $('overview-export').download = `overview-${query.replace(/[^A-Za-z0-9._-]+/g, '_')}.svg`;
  $('overview-export').hidden = false;
}

$('overview-query').addEventListener('change', () => drawOverview(current));
$('overview-filter').addEventListener('submit', (event) => event.preventDefault());

// The aligned sequences are long: the table leaves them to alignments.txt.
const HIDDEN_COLUMNS = ['qseq', 'sseq', 'ord'];

function showHits(page, fresh) {
  $('hits-view').hidden = false;
  const columns = (page.columns || Object.keys(page.items[0] || {})).filter((c) => !HIDDEN_COLUMNS.includes(c));
  if (fresh) {
    const th = (text) => { const cell = document.createElement('th'); cell.scope = 'col'; cell.textContent = text; return cell; };
    $('hits-head').replaceChildren(...columns.map(th), th('Alignment'));
    $('hits').replaceChildren();
  }
  $('hits').append(...page.items.map((hit) => {
    const row = cells(columns.map((c) => (c === 'evalue' ? evalue(hit[c]) : num(hit[c], 3))));
    const cell = document.createElement('td');
    if (typeof hit.ord === 'number') {
      const view = document.createElement('button');
      view.type = 'button';
      view.className = 'secondary small';
      view.textContent = 'View';
      view.setAttribute('aria-label', `Alignment of ${hit.sseqid || 'the hit'} for ${hit.qseqid || 'the query'}`);
      view.addEventListener('click', () => showAlignment(current, hit));
      cell.append(view);
    }
    row.append(cell);
    return row;
  }));
  $('hits-total').textContent = `${num(page.total)} hits${page.query ? ` of ${page.query}` : ''}, best ${$('hits-sort').selectedOptions[0].textContent.toLowerCase()} first`;
  hitsCursor = page.next;
  $('hits-more').hidden = !hitsCursor;
}

async function moreHits(fresh) {
  if (!current) return;
  const id = current;
  const response = await fetchHits(id, fresh ? null : hitsCursor);
  if (current !== id || !response) return;
  if (response.ok) showHits(await response.json(), fresh);
  else resultsNote(`Hits: ${await problemText(response)}`);
}

$('hits-filter').addEventListener('submit', (event) => { event.preventDefault(); moreHits(true); });
$('hits-sort').addEventListener('change', () => moreHits(true));
$('hits-more').addEventListener('click', () => moreHits(false));

let nextCursor = null;

// Each history row names its job (data-job), so the open job's row shows what the job page shows.
function rowCells(job) {
  const done = job.progress ? job.progress.done : job.done;
  const total = job.progress ? job.progress.total : job.total;
  return [job.status, `${done ?? 0} / ${total ?? 0}`];
}

function syncRow(job) {
  const row = [...$('history').rows].find((tr) => tr.dataset.job === job.id);
  if (!row || !job.status) return;
  const [status, progressText] = rowCells(job);
  row.cells[3].textContent = status;
  if (job.progress) row.cells[4].textContent = progressText;
}

async function loadHistory(fresh) {
  if (!session.token()) return;
  const query = new URLSearchParams({ limit: '20' });
  if ($('history-q').value.trim()) query.set('q', $('history-q').value.trim());
  if ($('history-status').value) query.set('status', $('history-status').value);
  if (!fresh && nextCursor) query.set('cursor', nextCursor);
  const response = await fetch(`${api}/jobs?${query}`, { headers: headers() }).catch(() => null);
  if (!response || !response.ok) return;
  const page = await response.json();
  const rows = page.items.map((item) => {
    const tr = document.createElement('tr');
    tr.dataset.job = item.id;
    const name = document.createElement('a');
    name.href = `/jobs/${encodeURIComponent(item.id)}`;
    name.textContent = item.name || item.fileName || item.id.slice(0, 8);
    name.addEventListener('click', (e) => { e.preventDefault(); e.stopPropagation(); go(name.pathname); });
    const values = [new Date(item.createdAt).toLocaleString(), name, item.database, ...rowCells(item)];
    tr.append(...values.map((value) => { const td = document.createElement('td'); td.append(value ?? ''); return td; }));
    tr.tabIndex = 0;
    tr.addEventListener('click', () => go(name.pathname));
    tr.addEventListener('keydown', (e) => { if (e.key === 'Enter') go(name.pathname); });
    return tr;
  });
  if (fresh) $('history').replaceChildren(...rows); else $('history').append(...rows);
  // the job open on this page is newer than a list read before it changed
  if (job && job.id === current) syncRow(job);
  nextCursor = page.nextCursor;
  $('more').hidden = !nextCursor;
}

// The history's filters are in its address, so a filtered history can be linked and gone back to.
$('history-filter').addEventListener('submit', (event) => {
  event.preventDefault();
  const query = new URLSearchParams();
  if ($('history-q').value.trim()) query.set('q', $('history-q').value.trim());
  if ($('history-status').value) query.set('status', $('history-status').value);
  go(`/history${query.size ? `?${query}` : ''}`);
});
$('more').addEventListener('click', () => loadHistory(false));

// Where the app is: the address names the page. `/jobs/<id>` is a job, `/history?q=&status=` the
// history with its filters, anything else the new-job form with the history below.
function routeOf(pathname, search) {
  const jobPath = /^\/jobs\/([^/]+)\/?$/.exec(pathname);
  if (jobPath) return { page: 'job', id: decodeURIComponent(jobPath[1]) };
  const query = new URLSearchParams(search);
  if (pathname === '/history') return { page: 'history', q: query.get('q') || '', status: query.get('status') || '' };
  return { page: 'home' };
}

// A job the app has just read (a submit's answer), so opening its page asks for it no second time.
let arriving = null;

// To another page of the app: a new entry in the browser's history, so Back and Forward walk them.
function go(path, known = null) {
  arriving = known;
  if (path !== window.location.pathname + window.location.search) window.history.pushState(null, '', path);
  render();
}

document.addEventListener('click', (event) => {
  const link = event.target.closest && event.target.closest('a[data-route]');
  if (!link || event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
  event.preventDefault();
  go(link.pathname + link.search);
});
window.addEventListener('popstate', () => render());

// Shows the page the address names: opens the job it names (unless it is open already), or the history
// with its filters; the job page is scrolled to and focused.
function render() {
  const where = routeOf(window.location.pathname, window.location.search);
  const known = arriving;
  arriving = null;
  $('missing').hidden = true;
  if (where.page !== 'job') {
    stopWatching();
    current = null;
    job = null;
    $('job').hidden = true;
  }
  const q = where.page === 'history' ? where.q : '';
  const status = where.page === 'history' ? where.status : '';
  $('history-q').value = q;
  $('history-status').value = status;
  loadHistory(true);
  if (where.page === 'job') {
    // a job just submitted is followed anew even under the same id (a stand-in's, or a reused job)
    if (current !== where.id || known) openJob(where.id, known && known.id === where.id ? known : null);
    else focus('job', 'job-title');
  } else if (where.page === 'history') {
    focus('history-section', 'history-title');
  }
  document.title = where.page === 'job' ? `Job ${where.id} · Aegis` : where.page === 'history' ? 'History · Aegis' : 'Aegis';
}

function focus(section, heading) {
  $(section).scrollIntoView({ block: 'start' });
  $(heading).focus({ preventScroll: true });
}

async function openJob(id, known) {
  stopWatching();
  current = id;
  job = null;
  $('job').hidden = true;
  if (!session.token()) {
    missing(id, 'Sign in to see this job.');
    return;
  }
  let opened = known;
  if (!opened) {
    const response = await fetch(`${api}/jobs/${encodeURIComponent(id)}`, { headers: headers() }).catch(() => null);
    if (current !== id) return;
    if (!response || !response.ok) {
      missing(id, !response ? 'The gateway is not answering; reload the page to try again.'
        : response.status === 404 ? undefined : await problemText(response));
      return;
    }
    opened = await response.json();
  }
  if (current !== id) return;
  follow(opened);
  focus('job', 'job-title');
}

// The page of a job that cannot be shown: unknown, someone else's (the same to the gateway), or not yet.
function missing(id, why) {
  $('job').hidden = true;
  $('missing').hidden = false;
  $('missing-title').textContent = why === undefined ? 'Job not found' : 'Job not shown';
  $('missing-text').textContent = why === undefined
    ? `There is no job ${id} among your jobs: the link may be mistyped, or the job belongs to someone else or was deleted.`
    : why;
  focus('missing', 'missing-title');
}

// Signed in, out, or as someone else: the page is read again with the new token. A change that leaves
// the token as it was (the sign-in check ending after a token was pasted) leaves the page alone: it
// would reopen the job shown, hiding it meanwhile and dropping what is under way (a cancel).
let renderedFor = null;
session.onChange(() => {
  if (session.token() === renderedFor) return;
  renderedFor = session.token();
  loadCatalog();
  current = null;
  render();
});
session.start();
