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

async function loadCatalog() {
  if (!session.token()) return;
  const [pipelines, dbs] = await Promise.all([
    fetch(`${api}/pipelines`, { headers: headers() }), fetch(`${api}/databases`, { headers: headers() })]);
  if (pipelines.ok) {
    const blast = (await pipelines.json()).find((pipeline) => pipeline.name === 'blast');
    const program = blast && blast.parameters.find((parameter) => parameter.name === 'program');
    if (program) programs = program.choices;
  }
  if (dbs.ok) databases = await dbs.json();
  showPrograms();
  showDatabases();
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

$('program').addEventListener('change', showDatabases);

// What is shown is what is submitted: the queries pasted or the file chosen, whichever came last.
$('fasta').addEventListener('input', () => { $('file').value = ''; });
// an error about what was submitted goes once what it was about is changed
for (const field of ['fasta', 'file', 'program', 'database', 'evalue']) {
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
    form.append('params', JSON.stringify({ program: $('program').value, evalue: Number($('evalue').value) }));
    form.append('reuse', String($('reuse').checked));
    const response = await fetch(`${api}/jobs`, { method: 'POST', headers: headers(), body: form }).catch(() => null);
    if (!response || response.status !== 202) {
      $('error').textContent = response ? await problemText(response) : 'The gateway is not answering; try again.';
      $('error').hidden = false;
      return;
    }
    const submitted = await response.json();
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
  job = { ...(job && job.id === current ? job : {}), ...update, id: current };
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

function note(text) {
  $('job-note').textContent = text;
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
  const response = await fetch(`${api}/jobs/${id}/cancel`, { method: 'POST', headers: headers() }).catch(() => null);
  if (current !== id) return;
  if (response && response.ok) {
    problem('');
    show(await response.json());
  } else {
    problem(`Cancel: ${response ? await problemText(response) : 'the gateway is not answering; try again.'}`);
  }
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
  $('progress-text').textContent = `${done.toLocaleString()} of ${total.toLocaleString()} sequences · ${step || ''}`;
  if (job && job.id === current) {
    job.progress = { done, total };
    syncRow(job);
  }
}

function appendLog(text) {
  const log = $('log');
  const atBottom = log.scrollTop + log.clientHeight >= log.scrollHeight - 4;
  log.append(text + '\n');
  if (atBottom) log.scrollTop = log.scrollHeight;
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
  watching = null;
}

function follow(started) {
  stopWatching();
  current = started.id;
  job = null;
  note('');
  problem('');
  streamNote('');
  show(started);
  $('log').textContent = '';
  $('artifacts').replaceChildren();
  resetResults();
  progress(0, started.sequenceCount || 0, started.step);
  watching = { id: started.id, source: null, timer: null, pollTimer: null, lastId: FROM_START, lines: new Set(),
    failures: 0, pollRound: 0, ended: false, gap: false, cancelling: false, finishedAt: 0 };
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
  streamNote('');
  show({ ...ended, id: watch.id });
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
}

async function gunzipText(bytes) {
  const head = new Uint8Array(bytes, 0, Math.min(2, bytes.byteLength));
  if (head[0] !== 0x1f || head[1] !== 0x8b) return new TextDecoder().decode(bytes); // decoded on the way already
  return new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'))).text();
}


// A finished job's artifacts, each with its state; while some are still being built, the list is
// read again every few seconds (artifact events stop with the job's stream).
const SETTLED = ['ready', 'failed'];
let artifactsTimer = null;

async function artifacts(id, attempt = 0) {
  clearTimeout(artifactsTimer);
  const response = await fetch(`${api}/jobs/${id}/artifacts`, { headers: headers() }).catch(() => null);
  if (current !== id) return;
  if (!response || !response.ok) {
    if (attempt < 60) artifactsTimer = setTimeout(() => artifacts(id, attempt + 1), 2000);
    return;
  }
  const items = (await response.json()).items;
  const list = $('artifacts');
  list.replaceChildren(...items.map((item) => {
    const li = document.createElement('li');
    const state = document.createElement('span');
    state.className = 'state';
    state.textContent = item.state === 'failed' && item.error ? `failed: ${item.error}` : item.state;
    if (item.kind === 'table') {
      li.append(`${item.name} (hit table, shown below)`, state);
      return li;
    }
    const button = document.createElement('button');
    button.type = 'button';
    button.textContent = `${item.name} (${item.size ?? '?'} bytes)`;
    button.disabled = item.state !== 'ready';
    button.addEventListener('click', () => download(id, item.name));
    li.append(button, state);
    return li;
  }));
  $('export').hidden = !items.some((item) => item.kind !== 'table' && item.state === 'ready');
  const settled = items.every((item) => SETTLED.includes(item.state));
  shown.noHits = settled && !items.some((item) => item.kind === 'table' && item.state === 'ready');
  if (!settled && attempt < 100) {
    artifactsTimer = setTimeout(() => artifacts(id, attempt + 1), 3000);
  }
}

// Downloads need the bearer token, so they are fetched and handed to the browser as a file.
async function download(id, name, path = `artifacts/${encodeURIComponent(name)}`) {
  const response = await fetch(`${api}/jobs/${id}/${path}`, { headers: headers() });
  if (!response.ok) { problem(`Download failed: ${await problemText(response)}`); return; }
  problem('');
  const url = URL.createObjectURL(await response.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  URL.revokeObjectURL(url);
}

$('export').addEventListener('click', () => {
  if (current) download(current, `aegis-${current}.zip`, 'export');
});

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
  $('summary-counts').textContent = `${num(summary.hits)} hits · ${num(summary.queriesWithHits)} queries with hits`;
  const top = (summary.topSubjects || []).slice(0, 5).map((s) => `${s.subject} (${num(s.hits)})`);
  $('summary-subjects').textContent = top.length ? `Top subjects: ${top.join(', ')}${summary.topSubjectsExact === false ? ' (approximate)' : ''}` : '';
  const queries = summary.perQuery || [];
  const rows = queries.slice(0, 10).map((q) => cells([q.query, num(q.hits), evalue(q.bestEvalue), num(q.bestBitscore, 1)]));
  if (queries.length > 10) rows.push(cells([`…and ${queries.length - 10} more queries`, '', '', '']));
  $('summary-queries').replaceChildren(...rows);
}

// The aligned sequences are long: the table leaves them to alignments.txt.
const HIDDEN_COLUMNS = ['qseq', 'sseq'];

function showHits(page, fresh) {
  $('hits-view').hidden = false;
  const columns = page.columns.filter((c) => !HIDDEN_COLUMNS.includes(c));
  if (fresh) {
    $('hits-head').replaceChildren(...columns.map((c) => { const th = document.createElement('th'); th.textContent = c; return th; }));
    $('hits').replaceChildren();
  }
  $('hits').append(...page.items.map((hit) => cells(columns.map((c) => (c === 'evalue' ? evalue(hit[c]) : num(hit[c], 3))))));
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

session.onChange(() => {
  loadCatalog();
  current = null;
  render();
});
session.start();
