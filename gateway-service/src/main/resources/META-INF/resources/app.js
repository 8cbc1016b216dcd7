// Aegis web app: submit a job, then follow its Server-Sent Events with fetch() so the bearer token
// can travel in a header (EventSource cannot send one).
const $ = (id) => document.getElementById(id);
const api = '/api/v1';
const tokenInput = $('token');
tokenInput.value = localStorage.getItem('aegis.token') || '';
tokenInput.addEventListener('change', () => { localStorage.setItem('aegis.token', tokenInput.value.trim()); loadDatabases(); });

function headers(extra = {}) {
  return { Authorization: `Bearer ${tokenInput.value.trim()}`, ...extra };
}

async function problemText(response) {
  try {
    const problem = await response.json();
    return `${problem.detail || problem.title} (${problem.code || response.status})`;
  } catch {
    return `HTTP ${response.status}`;
  }
}

async function loadDatabases() {
  if (!tokenInput.value.trim()) return;
  const response = await fetch(`${api}/databases`, { headers: headers() });
  if (!response.ok) return;
  const select = $('database');
  select.replaceChildren(...(await response.json()).map((db) => {
    const option = document.createElement('option');
    option.value = db.name;
    option.textContent = `${db.name} (${db.type}, ${db.sequences} sequences)`;
    return option;
  }));
}

$('submit').addEventListener('submit', async (event) => {
  event.preventDefault();
  $('error').hidden = true;
  const form = new FormData();
  const file = $('file').files[0];
  form.append('file', file || new Blob([$('fasta').value], { type: 'text/plain' }), file ? file.name : 'pasted.fasta');
  form.append('database', $('database').value);
  form.append('params', JSON.stringify({ program: $('program').value, evalue: Number($('evalue').value) }));
  const response = await fetch(`${api}/jobs`, { method: 'POST', headers: headers(), body: form });
  if (response.status !== 202) {
    $('error').textContent = await problemText(response);
    $('error').hidden = false;
    return;
  }
  follow(await response.json());
});

function show(job) {
  $('job').hidden = false;
  $('job-id').textContent = job.id;
  $('status').textContent = job.status;
  $('status').className = `badge ${job.status}`;
}

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

async function follow(job) {
  show(job);
  $('log').textContent = '';
  progress(0, job.sequenceCount || 0, job.step);
  const response = await fetch(`${api}/jobs/${job.id}/events`, { headers: headers({ Accept: 'text/event-stream' }) });
  if (!response.ok) {
    appendLog(`Cannot follow the job: ${await problemText(response)}`);
    return;
  }
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += value;
    let end;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      handle(buffer.slice(0, end), job);
      buffer = buffer.slice(end + 2);
    }
  }
}

function handle(frame, job) {
  let type = 'message';
  let data = '';
  for (const line of frame.split('\n')) {
    if (line.startsWith('event:')) type = line.slice(6).trim();
    else if (line.startsWith('data:')) data += line.slice(5).trim();
  }
  if (!data) return;
  const body = JSON.parse(data);
  switch (type) {
    case 'snapshot': show(body); progress(body.progress.done, body.progress.total, body.step); break;
    case 'progress': progress(body.done, body.total, body.step); break;
    case 'log': appendLog(`[${body.source}] ${body.line}`); break;
    case 'succeeded': case 'failed': case 'cancelled':
      show({ id: job.id, status: type.toUpperCase() });
      if (body.error) appendLog(`${body.errorCode}: ${body.error}`);
      setTimeout(() => artifacts(job.id), 1000);
      break;
    default: break;
  }
}

async function artifacts(id, attempt = 0) {
  const response = await fetch(`${api}/jobs/${id}/artifacts`, { headers: headers() });
  if (!response.ok) {
    if (attempt < 20) setTimeout(() => artifacts(id, attempt + 1), 1000);
    return;
  }
  const list = $('artifacts');
  list.replaceChildren(...(await response.json()).items.map((item) => {
    const li = document.createElement('li');
    const button = document.createElement('button');
    button.type = 'button';
    button.textContent = `${item.name} (${item.size ?? '?'} bytes)`;
    button.disabled = item.state !== 'ready';
    button.addEventListener('click', () => download(id, item.name));
    li.append(button);
    return li;
  }));
}

async function download(id, name) {
  const response = await fetch(`${api}/jobs/${id}/artifacts/${encodeURIComponent(name)}`, { headers: headers() });
  if (!response.ok) { appendLog(`Download failed: ${await problemText(response)}`); return; }
  const url = URL.createObjectURL(await response.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  URL.revokeObjectURL(url);
}

loadDatabases();
