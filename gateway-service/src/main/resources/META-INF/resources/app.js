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
    follow(await response.json());
    loadHistory(true);
  } finally {
    submitting = false;
    run.disabled = false;
  }
});

const FINISHED = ['SUCCEEDED', 'FAILED', 'CANCELLED'];
// A failed or cancelled job can run again as its next attempt (job-service answers 409 for any other).
const RETRYABLE = ['FAILED', 'CANCELLED'];

function show(job) {
  $('job').hidden = false;
  $('job-id').textContent = job.id;
  $('status').textContent = job.status;
  $('status').className = `badge ${job.status}`;
  $('cancel').hidden = FINISHED.includes(job.status);
  $('retry').hidden = !RETRYABLE.includes(job.status);
  $('retry').disabled = false;
  if (job.reusedFrom) note(`Reused the results of the identical job ${job.reusedFrom}.`);
  else if (job.status === 'QUEUED' && job.queuePosition) note(`Waiting: number ${job.queuePosition} in the queue. ${attemptNote(job)}`.trim());
  else if (!FINISHED.includes(job.status)) note(attemptNote(job));
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

$('cancel').addEventListener('click', async () => {
  if (!current) return;
  const response = await fetch(`${api}/jobs/${current}/cancel`, { method: 'POST', headers: headers() });
  if (response.ok) show(await response.json());
  else appendLog(`Cancel: ${await problemText(response)}`);
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
    follow(await response.json());
    loadHistory(true);
  } else {
    appendLog(`Retry: ${response ? await problemText(response) : 'the gateway is not answering'}`);
  }
});

function progress(done, total, step) {
  $('bar').max = Math.max(total, 1);
  $('bar').value = done;
  $('progress-text').textContent = `${done.toLocaleString()} of ${total.toLocaleString()} sequences · ${step || ''}`;
}

function appendLog(text) {
  const log = $('log');
  const atBottom = log.scrollTop + log.clientHeight >= log.scrollHeight - 4;
  log.append(text + '\n');
  if (atBottom) log.scrollTop = log.scrollHeight;
}

// The job being followed: its EventSource or polling timer, and the id of the last event seen, so a
// new connection resumes where the last one stopped.
let watching = null;
const EVENT_TYPES = ['snapshot', 'progress', 'step', 'log', 'artifact', 'gap', 'dropped', 'succeeded', 'failed', 'cancelled'];

function stopWatching() {
  if (!watching) return;
  watching.ended = true;
  if (watching.source) watching.source.close();
  clearTimeout(watching.timer);
  watching = null;
}

function follow(job) {
  stopWatching();
  current = job.id;
  note('');
  show(job);
  $('log').textContent = '';
  $('artifacts').replaceChildren();
  resetResults();
  progress(0, job.sequenceCount || 0, job.step);
  watching = { id: job.id, source: null, timer: null, lastId: null, failures: 0, ended: false };
  openStream(watching);
}

// A ticket opens one connection, once: every (re)connection asks for a fresh one and resumes after
// the last event seen (a new EventSource cannot send Last-Event-ID, so it goes in the query).
async function openStream(watch) {
  let response;
  try {
    response = await fetch(`${api}/jobs/${watch.id}/stream-ticket`, { method: 'POST', headers: headers() });
  } catch {
    if (!watch.ended) reconnect(watch, false);
    return;
  }
  if (watch.ended) return;
  if (!response.ok) {
    const text = await problemText(response);
    if (response.status === 401 || response.status === 404) {
      appendLog(`Cannot follow the job: ${text}`);
      return;
    }
    appendLog(`Live events unavailable (${text}); checking the job every few seconds instead.`);
    poll(watch);
    return;
  }
  const { ticket } = await response.json();
  if (watch.ended) return;
  const query = new URLSearchParams({ ticket });
  if (watch.lastId) query.set('lastEventId', watch.lastId);
  const source = new EventSource(`${api}/jobs/${watch.id}/events?${query}`);
  watch.source = source;
  let received = false;
  for (const type of EVENT_TYPES) {
    source.addEventListener(type, (event) => {
      if (watch.ended) return;
      received = true;
      watch.failures = 0;
      if (event.lastEventId) watch.lastId = event.lastEventId;
      handle(type, JSON.parse(event.data), watch);
    });
  }
  source.onerror = () => {
    // the browser would reconnect with the same, spent ticket: reconnect here with a new one instead
    source.close();
    if (!watch.ended) reconnect(watch, received);
  };
}

function reconnect(watch, received) {
  if (!received) watch.failures += 1;
  if (watch.failures >= 3) {
    // refused again and again (e.g. 429 TOO_MANY_STREAMS, whose status an EventSource cannot read)
    appendLog('Live events unavailable; checking the job every few seconds instead.');
    poll(watch);
    return;
  }
  watch.timer = setTimeout(() => openStream(watch), received ? 500 : 2000 * watch.failures);
}

// Without a stream: the job every few seconds until it ends, and now and then another try at streaming.
async function poll(watch, round = 1) {
  if (watch.ended) return;
  const response = await fetch(`${api}/jobs/${watch.id}`, { headers: headers() }).catch(() => null);
  if (watch.ended) return;
  if (response && response.ok) {
    const job = await response.json();
    show(job);
    if (job.progress) progress(job.progress.done, job.progress.total, job.step);
    if (FINISHED.includes(job.status)) {
      finished(watch, job);
      return;
    }
  }
  if (round % 10 === 0) {
    watch.failures = 2; // one more refusal and polling resumes
    openStream(watch);
    return;
  }
  watch.timer = setTimeout(() => poll(watch, round + 1), 3000);
}

function handle(type, body, watch) {
  switch (type) {
    case 'snapshot': show(body); if (body.progress) progress(body.progress.done, body.progress.total, body.step); break;
    case 'progress': progress(body.done, body.total, body.step); break;
    case 'step':
      progress(body.done, body.total, body.step);
      appendLog(`— ${body.step}: ${String(body.stepStatus).toLowerCase()}${body.error ? ` (${body.error})` : ''}`);
      break;
    case 'log': appendLog(`[${body.source}] ${body.line}`); break;
    case 'artifact':
      if (body.state === 'ready' || body.state === 'failed') {
        artifacts(watch.id);
        if (['hits', 'summary.json'].includes(body.name)) results(watch.id);
      }
      break;
    case 'gap':
      appendLog(body.tailMissing
        ? '… the job ended before its last log lines reached this stream.'
        : `… ${body.skipped == null ? 'some' : body.skipped} earlier events are no longer available here.`);
      break;
    case 'dropped': appendLog(`… ${body.count} log lines left out to keep up.`); break;
    case 'succeeded': case 'failed': case 'cancelled':
      finished(watch, { ...body, status: type.toUpperCase() });
      break;
    default: break;
  }
}

// The job's end, from its terminal event or a poll: no more streaming, the results, the history.
function finished(watch, job) {
  watch.ended = true;
  if (watch.source) watch.source.close();
  clearTimeout(watch.timer);
  show({ ...job, id: watch.id });
  if (job.error) appendLog(`${job.errorCode}: ${job.error}`);
  // unless the job is followed anew meanwhile (a retry: the same id, a new attempt without results yet)
  setTimeout(() => { if (watching === watch) { artifacts(watch.id); results(watch.id); } }, 1000);
  loadHistory(true);
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
  if (!response.ok) { appendLog(`Download failed: ${await problemText(response)}`); return; }
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

async function loadHistory(fresh) {
  if (!session.token()) return;
  const query = new URLSearchParams({ limit: '20' });
  if ($('history-q').value.trim()) query.set('q', $('history-q').value.trim());
  if ($('history-status').value) query.set('status', $('history-status').value);
  if (!fresh && nextCursor) query.set('cursor', nextCursor);
  const response = await fetch(`${api}/jobs?${query}`, { headers: headers() });
  if (!response.ok) return;
  const page = await response.json();
  const rows = page.items.map((job) => {
    const tr = document.createElement('tr');
    const cells = [new Date(job.createdAt).toLocaleString(), job.name || job.fileName || job.id.slice(0, 8),
      job.database, job.status, `${job.done} / ${job.total}`];
    tr.append(...cells.map((text) => { const td = document.createElement('td'); td.textContent = text; return td; }));
    tr.tabIndex = 0;
    tr.addEventListener('click', () => openJob(job.id));
    tr.addEventListener('keydown', (e) => { if (e.key === 'Enter') openJob(job.id); });
    return tr;
  });
  if (fresh) $('history').replaceChildren(...rows); else $('history').append(...rows);
  nextCursor = page.nextCursor;
  $('more').hidden = !nextCursor;
}

async function openJob(id) {
  const response = await fetch(`${api}/jobs/${id}`, { headers: headers() });
  if (response.ok) follow(await response.json());
}

$('history-filter').addEventListener('submit', (event) => { event.preventDefault(); loadHistory(true); });
$('more').addEventListener('click', () => loadHistory(false));

session.onChange(() => {
  loadCatalog();
  loadHistory(true);
});
session.start();
