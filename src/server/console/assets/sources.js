// onair console: the Sources panel: feeds and uploads. Loaded after common.js, which holds the shared helpers.
'use strict';

// ---- sources ----------------------------------------------------------------------------

function when(t) {
  return t ? new Date(t).toLocaleString() : '—';
}

async function loadSources() {
  try {
    const { sources } = await api('GET', '/console/api/sources');
    const body = $('#source-table tbody');
    body.replaceChildren();
    if (!sources.length) {
      body.append(el('tr', {}, el('td', { colSpan: 7, text: 'No feed is configured and nothing was uploaded yet.' })));
    }
    sources.forEach((s) => {
      const st = s.status || {};
      const ok = st.last_success;
      const success = ok ? when(ok.at) + ': +' + ok.summary.added + ' ~' + ok.summary.updated + ' −' + ok.summary.removed : '—';
      const failure = st.last_failure ? when(st.last_failure.at) + ': ' + st.last_failure.error : '—';
      const rejected = el('td', { text: String(ok ? ok.rejected : 0) });
      if (s.rejected.length) {
        const list = el('ul', {});
        s.rejected.forEach((r) => list.append(el('li', { text: r.location + ': ' + r.reason })));
        rejected.append(el('details', {}, el('summary', { text: 'which' }), list));
      }
      body.append(el('tr', { 'data-source': s.source || '' },
        el('td', { class: 'url', text: s.location }), el('td', { text: s.source || '—' }),
        el('td', { text: s.refresh || (s.configured ? '' : 'upload') }),
        el('td', { text: success }), el('td', { class: st.last_failure ? 'bad' : '', text: failure }),
        el('td', { text: s.stations + ' / ' + s.events + ' / ' + s.episodes }), rejected));
    });
  } catch (e) {
    status(e.message, true);
  }
}

function upload(event) {
  event.preventDefault();
  const file = $('#upload-file').files[0];
  if (!file) { status('Choose a file first.', true); return; }
  const params = new URLSearchParams();
  if ($('#upload-format').value) params.set('format', $('#upload-format').value);
  if ($('#upload-source').value.trim()) params.set('source', $('#upload-source').value.trim());
  const progress = $('#upload-progress');
  const summary = $('#upload-summary');
  progress.value = 0;
  summary.textContent = 'Uploading ' + file.name + '…';
  $('#upload-button').disabled = true;
  const xhr = new XMLHttpRequest();
  xhr.open('POST', '/console/api/import?' + params);
  xhr.setRequestHeader('X-Onair-Console', '1');
  xhr.upload.addEventListener('progress', (e) => {
    if (e.lengthComputable) progress.value = (e.loaded / e.total) * 100;
  });
  xhr.addEventListener('load', () => {
    $('#upload-button').disabled = false;
    let data = null;
    try { data = JSON.parse(xhr.responseText); } catch (e) { data = { detail: xhr.responseText }; }
    if (xhr.status === 401) { location.reload(); return; }
    if (xhr.status >= 200 && xhr.status < 300) {
      progress.value = 100;
      summary.textContent = 'Imported ' + file.name + ' as ' + data.source + ' (' + data.format + '): ' +
        data.added + ' added, ' + data.updated + ' updated, ' + data.unchanged + ' unchanged, ' +
        data.removed + ' removed, ' + data.rejected.length + ' rejected.\n\n' + pretty(data);
      summary.dataset.done = 'ok';
      loadSources();
      loaded.schedule = false;
    } else {
      summary.textContent = 'Refused (' + xhr.status + '): ' + (data.detail || '');
      summary.dataset.done = 'error';
    }
  });
  xhr.addEventListener('error', () => {
    $('#upload-button').disabled = false;
    summary.textContent = 'The upload failed: the connection broke.';
    summary.dataset.done = 'error';
  });
  xhr.send(file);
}
