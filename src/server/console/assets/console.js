// onair console: talk to the skill, see the schedule, the feeds and a listener.
// Plain script, no framework, no build step. Text from the server is always set with
// textContent, never parsed as HTML.
'use strict';

const $ = (selector) => document.querySelector(selector);
const state = {
  info: null,
  conversation: null,
  // What the page's player plays for the skill: {token, playing, nearlySent, queued}.
  current: null,
  queued: null,
};

function el(tag, props, ...children) {
  const node = document.createElement(tag);
  Object.entries(props || {}).forEach(([k, v]) => {
    if (k === 'class') node.className = v;
    else if (k === 'text') node.textContent = v;
    else if (k.startsWith('data-')) node.setAttribute(k, v);
    else node[k] = v;
  });
  children.forEach((c) => node.append(c));
  return node;
}

function status(message, isError) {
  const s = $('#status');
  s.textContent = message || '';
  s.classList.toggle('error', Boolean(isError));
}

// Every API call: same origin, the session cookie, and the header that marks it as ours.
async function api(method, path, body) {
  const options = { method, credentials: 'same-origin', headers: { 'X-Onair-Console': '1' } };
  if (body !== undefined) {
    options.headers['Content-Type'] = 'application/json';
    options.body = JSON.stringify(body);
  }
  const response = await fetch(path, options);
  if (response.status === 401) {
    location.reload();
    throw new Error('signed out');
  }
  const text = await response.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch (e) { data = { detail: text }; }
  if (!response.ok) {
    throw new Error((data && data.detail) || ('HTTP ' + response.status));
  }
  return data;
}

const pretty = (value) => JSON.stringify(value, null, 2);

// ---- tabs -------------------------------------------------------------------------------

const TABS = ['talk', 'schedule', 'sources', 'listener'];
const loaded = {};

function showTab(name, focus) {
  if (!TABS.includes(name)) name = 'talk';
  TABS.forEach((t) => {
    const tab = $('#tab-' + t);
    const selected = t === name;
    tab.setAttribute('aria-selected', String(selected));
    tab.tabIndex = selected ? 0 : -1;
    $('#' + t).hidden = !selected;
  });
  if (focus) $('#tab-' + name).focus();
  if (history.replaceState) history.replaceState(null, '', '#' + name);
  if (!loaded[name]) {
    loaded[name] = true;
    if (name === 'schedule') { loadSchedule(); loadStations(); }
    if (name === 'sources') loadSources();
    if (name === 'listener' && $('#listener-key').value) loadListener();
  }
}

function setUpTabs() {
  document.querySelectorAll('nav [role="tab"]').forEach((tab) => {
    tab.addEventListener('click', () => showTab(tab.dataset.tab));
    tab.addEventListener('keydown', (e) => {
      const i = TABS.indexOf(tab.dataset.tab);
      if (e.key === 'ArrowRight') showTab(TABS[(i + 1) % TABS.length], true);
      else if (e.key === 'ArrowLeft') showTab(TABS[(i + TABS.length - 1) % TABS.length], true);
      else return;
      e.preventDefault();
    });
  });
  window.addEventListener('hashchange', () => showTab(location.hash.slice(1)));
  showTab(location.hash.slice(1));
}

// ---- talk -------------------------------------------------------------------------------

function fillLocales() {
  const select = $('#locale');
  state.info.locales.forEach((l) => select.append(el('option', { value: l, text: l })));
  if (state.info.locales.includes('en-US')) select.value = 'en-US';
  select.addEventListener('change', fillIntents);
  fillIntents();
}

function fillIntents() {
  const select = $('#intent');
  select.replaceChildren(el('option', { value: '', text: '(use what I typed)' }));
  select.append(el('option', { value: 'LaunchRequest', text: 'LaunchRequest (open the skill)' }));
  (state.info.intents[$('#locale').value] || []).forEach((i) =>
    select.append(el('option', { value: i.name, text: i.name })));
  select.onchange = fillSlots;
  fillSlots();
}

function fillSlots() {
  const box = $('#slots');
  box.replaceChildren();
  const intent = (state.info.intents[$('#locale').value] || []).find((i) => i.name === $('#intent').value);
  (intent ? intent.slots : []).forEach((slot) => {
    box.append(el('label', { text: slot + ' ' },
      el('input', { className: 'slot', name: slot, autocomplete: 'off', maxLength: 200 })));
  });
}

function playerState() {
  const player = $('#player');
  const c = state.current;
  if (!c || !c.token) return { playerActivity: 'IDLE' };
  let activity = 'STOPPED';
  if (c.playing) activity = 'PLAYING';
  else if (player.ended) activity = 'FINISHED';
  return {
    token: c.token,
    offsetInMilliseconds: Math.max(0, Math.round((player.currentTime || 0) * 1000)),
    playerActivity: activity,
  };
}

function speechText(speech) {
  if (!speech) return '';
  if (speech.text) return speech.text;
  const ssml = speech.ssml || '';
  const doc = new DOMParser().parseFromString(ssml, 'text/xml');
  const text = doc.documentElement ? doc.documentElement.textContent : ssml.replace(/<[^>]*>/g, ' ');
  return text.replace(/\s+/g, ' ').trim();
}

function speak(text, locale) {
  if (!text || !$('#speak').checked || !('speechSynthesis' in window)) return;
  window.speechSynthesis.cancel();
  const utterance = new SpeechSynthesisUtterance(text);
  utterance.lang = locale;
  window.speechSynthesis.speak(utterance);
}

function showCard(card) {
  const box = $('#card');
  box.hidden = !card;
  if (!card) return;
  $('#card-title').textContent = card.title || '';
  $('#card-text').textContent = card.content || card.text || '';
  const img = $('#card-image');
  const src = card.image && (card.image.largeImageUrl || card.image.smallImageUrl);
  img.hidden = !src;
  if (src) img.src = src;
}

async function talk(event) {
  event.preventDefault();
  const utterance = $('#utterance').value.trim();
  const intent = $('#intent').value;
  const body = {
    conversation: state.conversation,
    locale: $('#locale').value,
    zone: $('#zone').value.trim() || null,
    at: $('#at').value || null,
    player: playerState(),
  };
  if (intent) {
    body.intent = intent;
    body.slots = {};
    document.querySelectorAll('#slots input.slot').forEach((i) => {
      if (i.value.trim()) body.slots[i.name] = i.value.trim();
    });
  } else if (utterance) {
    body.utterance = utterance;
  } else {
    status('Type something to say, or pick an intent.', true);
    return;
  }
  $('#send').disabled = true;
  status('Asking…');
  try {
    const turn = await api('POST', '/console/api/talk', body);
    state.conversation = turn.conversation;
    $('#conversation-id').textContent = turn.conversation + (turn.session.open ? ' (session open)' : ' (session ended)');
    const slots = turn.resolution.slots.filter((s) => s.value)
      .map((s) => s.name + '=' + s.value).join(', ');
    $('#resolved').textContent = turn.resolution.intent + (slots ? ' (' + slots + ')' : '') +
      ' · confidence ' + turn.resolution.confidence.toFixed(2);
    const response = turn.response.response || {};
    const said = speechText(response.outputSpeech);
    $('#speech').textContent = said || '(no speech)';
    showCard(response.card);
    $('#request-json').textContent = pretty(turn.request);
    $('#response-json').textContent = pretty(turn.response);
    const said_by_you = intent ? intent : utterance;
    $('#transcript').append(el('li', {}, el('span', { class: 'you', text: 'you: ' + said_by_you })),
      el('li', { text: 'onair: ' + (said || '(no speech)') }));
    status(turn.handler_error ? 'The skill failed and apologised: ' + turn.handler_error : '');
    speak(said, body.locale);
    applyDirectives(response.directives || []);
  } catch (e) {
    status(e.message, true);
  } finally {
    $('#send').disabled = false;
  }
}

// ---- the player: AudioPlayer directives in, device events out --------------------------

function applyDirectives(directives) {
  directives.forEach((d) => {
    if (d.type === 'AudioPlayer.Play') {
      const stream = d.audioItem.stream;
      const meta = d.audioItem.metadata || {};
      const item = { url: stream.url, token: stream.token, offset: stream.offsetInMilliseconds || 0, title: meta.title || stream.url };
      const busy = state.current && state.current.playing;
      if (d.playBehavior === 'ENQUEUE' && busy) state.queued = item;
      else { state.queued = null; play(item); }
    } else if (d.type === 'AudioPlayer.Stop') {
      $('#player').pause();
    } else if (d.type === 'AudioPlayer.ClearQueue') {
      state.queued = null;
      if (d.clearBehavior === 'CLEAR_ALL') $('#player').pause();
    }
  });
}

function play(item) {
  const player = $('#player');
  if (state.current && state.current.playing) sendEvent('PlaybackStopped');
  state.current = { token: item.token, playing: false, nearlySent: false };
  player.src = item.url;
  if (item.offset) {
    player.addEventListener('loadedmetadata', () => { player.currentTime = item.offset / 1000; }, { once: true });
  }
  $('#now-playing').textContent = item.title;
  player.play().catch((e) => status('The browser would not play: ' + e.message, true));
}

function logEvent(text, ok) {
  const list = $('#device-events');
  list.prepend(el('li', { class: ok ? 'ok' : 'bad', text }));
  while (list.children.length > 50) list.lastChild.remove();
}

async function sendEvent(type) {
  const c = state.current;
  if (!c || !c.token) return;
  const body = {
    type,
    token: c.token,
    offset_ms: Math.max(0, Math.round(($('#player').currentTime || 0) * 1000)),
    locale: $('#locale').value || 'en-US',
    zone: $('#zone').value.trim() || null,
  };
  try {
    const answer = await api('POST', '/console/api/event', body);
    const directives = (answer.response.response && answer.response.response.directives) || [];
    logEvent('AudioPlayer.' + type + ' → ' + (directives.length ? directives.map((d) => d.type).join(', ') : 'no directive'), true);
    applyDirectives(directives);
  } catch (e) {
    logEvent('AudioPlayer.' + type + ' failed: ' + e.message, false);
  }
}

function setUpPlayer() {
  const player = $('#player');
  player.addEventListener('playing', () => {
    const c = state.current;
    if (!c || c.playing) return;
    c.playing = true;
    sendEvent('PlaybackStarted');
  });
  player.addEventListener('pause', () => {
    const c = state.current;
    if (!c || !c.playing || player.ended) return;
    c.playing = false;
    sendEvent('PlaybackStopped');
  });
  player.addEventListener('ended', () => {
    const c = state.current;
    if (!c) return;
    c.playing = false;
    sendEvent('PlaybackFinished').then(() => {
      if (state.queued) { const next = state.queued; state.queued = null; play(next); }
    });
  });
  player.addEventListener('timeupdate', () => {
    const c = state.current;
    if (!c || c.nearlySent || !isFinite(player.duration)) return;
    if (player.duration - player.currentTime < 10) {
      c.nearlySent = true;
      sendEvent('PlaybackNearlyFinished');
    }
  });
}

function playUrl(url, title) {
  const player = $('#player');
  if (state.current && state.current.playing && state.current.token) sendEvent('PlaybackStopped');
  state.current = null;
  player.src = url;
  $('#now-playing').textContent = title;
  player.play().catch((e) => status('The browser would not play: ' + e.message, true));
}

// ---- schedule ---------------------------------------------------------------------------

function today() {
  const d = new Date();
  return d.getFullYear() + '-' + String(d.getMonth() + 1).padStart(2, '0') + '-' + String(d.getDate()).padStart(2, '0');
}

async function loadSchedule(event) {
  if (event) event.preventDefault();
  const params = new URLSearchParams();
  if ($('#sched-date').value) params.set('date', $('#sched-date').value);
  if ($('#sched-zone').value.trim()) params.set('zone', $('#sched-zone').value.trim());
  try {
    const day = await api('GET', '/console/api/schedule?' + params);
    state.day = day;
    $('#sched-date').value = day.date;
    $('#sched-zone').value = day.zone;
    renderGrid(day);
    status(day.truncated ? 'More programmes than the grid shows; narrow the day.' : '');
  } catch (e) {
    status(e.message, true);
  }
}

function renderGrid(day) {
  const grid = $('#grid');
  grid.replaceChildren();
  grid.dataset.zone = day.zone;
  grid.dataset.date = day.date;
  const from = Date.parse(day.from);
  const span = Date.parse(day.to) - from;
  const pct = (t) => Math.min(100, Math.max(0, ((Date.parse(t) - from) / span) * 100));
  const hours = el('div', { class: 'track' });
  day.hours.forEach((h) => {
    const mark = el('span', { class: 'hour', text: h.label });
    mark.style.left = pct(h.at) + '%';
    hours.append(mark);
  });
  grid.append(el('div', { class: 'hours' }, el('div', { class: 'label', text: day.zone }), hours));
  const genres = new Set();
  const rows = new Map();
  day.stations.forEach((s) => rows.set(s.id, { station: s, events: [] }));
  day.events.forEach((e) => {
    e.genres.forEach((g) => genres.add(g));
    const id = e.station || '';
    if (!rows.has(id)) rows.set(id, { station: { id, name: id || 'No station', genres: [] }, events: [] });
    rows.get(id).events.push(e);
  });
  rows.forEach(({ station, events }) => {
    const track = el('div', { class: 'track' });
    events.forEach((e) => {
      const left = pct(e.start);
      const width = Math.max(0.6, pct(e.end) - left);
      const button = el('button', {
        type: 'button',
        class: 'event' + (e.live ? ' live' : ''),
        text: e.start_local + ' ' + e.title,
        title: e.start_local + '–' + e.end_local + ' ' + e.title + (e.performers.length ? ' · ' + e.performers.join(', ') : ''),
        'data-event': e.id,
        'data-start-local': e.start_local,
        'data-end-local': e.end_local,
        'data-genres': e.genres.join('|').toLowerCase(),
        'data-search': (e.title + ' ' + e.performers.join(' ')).toLowerCase(),
      });
      button.style.left = left + '%';
      button.style.width = width + '%';
      button.addEventListener('click', () => openEvent(e, button));
      track.append(button);
    });
    const label = el('div', { class: 'label', text: station.name }, el('small', { text: station.id }));
    grid.append(el('div', { class: 'row', 'data-station': station.id }, label, track));
  });
  const now = Date.parse(day.now);
  if (now >= from && now < from + span) {
    const line = el('div', { id: 'now-line' });
    grid.append(line);
    // The line sits over the tracks: offset by the label column.
    const labelWidth = grid.querySelector('.row .label, .hours .label').offsetWidth;
    const trackWidth = grid.querySelector('.hours .track').offsetWidth;
    line.style.left = (labelWidth + (trackWidth * pct(day.now)) / 100) + 'px';
  }
  const select = $('#sched-genre');
  const chosen = select.value;
  select.replaceChildren(el('option', { value: '', text: 'All genres' }));
  [...genres].sort().forEach((g) => select.append(el('option', { value: g.toLowerCase(), text: g })));
  select.value = [...select.options].some((o) => o.value === chosen) ? chosen : '';
  filterGrid();
}

function filterGrid() {
  const genre = $('#sched-genre').value;
  const words = $('#sched-search').value.trim().toLowerCase();
  document.querySelectorAll('#grid .event').forEach((b) => {
    const match = (!genre || b.dataset.genres.split('|').includes(genre)) &&
      (!words || b.dataset.search.includes(words));
    b.classList.toggle('dim', !match);
    b.tabIndex = match ? 0 : -1;
  });
}

async function openEvent(e, button) {
  document.querySelectorAll('#grid .event[aria-pressed="true"]').forEach((b) => b.setAttribute('aria-pressed', 'false'));
  button.setAttribute('aria-pressed', 'true');
  try {
    const record = await api('GET', '/console/api/events/' + encodeURIComponent(e.id));
    $('#event-record').textContent = pretty(record);
    if (record.plays) playUrl(record.plays, record.event.title);
    else status('“' + record.event.title + '” has no stream to play.');
  } catch (err) {
    status(err.message, true);
  }
}

async function loadStations() {
  try {
    const { stations } = await api('GET', '/console/api/stations');
    const body = $('#stations tbody');
    body.replaceChildren();
    stations.forEach((s) => {
      const result = el('td', { class: 'check-result' });
      const button = el('button', { type: 'button', text: 'Check' });
      button.addEventListener('click', () => checkStation(s.id, result, button));
      body.append(el('tr', { 'data-station': s.id },
        el('td', { text: s.name }), el('td', { text: s.id }), el('td', { text: s.genres.join(', ') }),
        el('td', { class: 'url', text: s.stream_url || '—' }),
        el('td', {}, s.stream_url ? button : '', result)));
    });
  } catch (e) {
    status(e.message, true);
  }
}

async function checkStation(id, cell, button) {
  button.disabled = true;
  cell.textContent = ' probing…';
  try {
    const c = await api('POST', '/console/api/stations/' + encodeURIComponent(id) + '/check');
    const parts = [];
    parts.push(c.reachable ? 'reachable' : 'not reachable');
    if (c.status) parts.push('HTTP ' + c.status);
    if (c.content_type) parts.push(c.content_type);
    const f = c.format || {};
    if (f.codec) parts.push(f.codec);
    if (f.bitrate_kbps) parts.push(f.bitrate_kbps + ' kbit/s');
    if (f.sample_rate) parts.push(f.sample_rate + ' Hz');
    if (c.icy_name) parts.push('“' + c.icy_name + '”');
    if (f.note) parts.push(f.note);
    if (c.error) parts.push(c.error);
    cell.textContent = ' ' + parts.join(' · ');
    cell.className = 'check-result ' + (c.reachable && f.audio && !c.error ? 'ok' : 'bad');
  } catch (e) {
    cell.textContent = ' ' + e.message;
    cell.className = 'check-result bad';
  } finally {
    button.disabled = false;
  }
}

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

// ---- listener ---------------------------------------------------------------------------

function describeItem(item) {
  return item ? item.kind + ' ' + item.id : '—';
}

async function loadListener(event) {
  if (event) event.preventDefault();
  const key = $('#listener-key').value.trim();
  const view = $('#listener-view');
  if (!key) return;
  try {
    const l = await api('GET', '/console/api/listeners/' + encodeURIComponent(key));
    view.hidden = false;
    const follows = $('#listener-follows');
    follows.replaceChildren();
    l.follows.performers.forEach((p) => follows.append(el('li', { text: 'performer: ' + p })));
    l.follows.stations.forEach((s) => follows.append(el('li', { text: 'station: ' + s })));
    if (!follows.children.length) follows.append(el('li', { text: 'nothing followed' }));
    const reminders = $('#listener-reminders');
    reminders.replaceChildren();
    l.reminders.forEach((r) => reminders.append(el('li', { text: r })));
    if (!l.reminders.length) reminders.append(el('li', { text: 'no reminder' }));
    const aff = $('#listener-affinities');
    aff.replaceChildren();
    ['genres', 'performers', 'stations'].forEach((kind) => {
      l.affinities[kind].forEach((a) => aff.append(el('li', { text: kind.slice(0, -1) + ' ' + a.name + ' ' },
        el('meter', { min: 0, max: 1, value: a.share, title: Math.round(a.share * 100) + '%' }))));
    });
    if (!aff.children.length) aff.append(el('li', { text: 'no listening that counts yet' }));
    const body = $('#listener-history tbody');
    body.replaceChildren();
    l.history.forEach((h) => body.append(el('tr', {},
      el('td', { text: when(h.at) }), el('td', { text: describeItem(h.item) }),
      el('td', { text: h.station || '—' }), el('td', { text: String(h.seconds) }))));
    status(l.now_playing ? 'Now playing: ' + describeItem(l.now_playing.item) + (l.now_playing.active ? '' : ' (not started)') : '');
  } catch (e) {
    view.hidden = true;
    status(e.message, true);
  }
}

function setUpForget() {
  const button = $('#listener-forget');
  let armed = null;
  const disarm = () => { button.classList.remove('armed'); button.textContent = 'Forget…'; armed = null; };
  button.addEventListener('click', async () => {
    const key = $('#listener-key').value.trim();
    if (!key) return;
    if (!armed) {
      button.classList.add('armed');
      button.textContent = 'Really forget everything about this listener?';
      armed = setTimeout(disarm, 5000);
      return;
    }
    clearTimeout(armed);
    disarm();
    try {
      await api('DELETE', '/console/api/listeners/' + encodeURIComponent(key));
      $('#listener-view').hidden = true;
      status('Forgotten: onair keeps nothing about ' + key + ' any more.');
    } catch (e) {
      status(e.message, true);
    }
  });
}

// ---- start ------------------------------------------------------------------------------

function copyButtons() {
  document.querySelectorAll('button.copy').forEach((b) => b.addEventListener('click', async () => {
    const text = document.getElementById(b.dataset.copy).textContent;
    try {
      await navigator.clipboard.writeText(text);
      b.textContent = 'Copied';
    } catch (e) {
      const range = document.createRange();
      range.selectNodeContents(document.getElementById(b.dataset.copy));
      getSelection().removeAllRanges();
      getSelection().addRange(range);
      b.textContent = 'Selected';
    }
    setTimeout(() => { b.textContent = 'Copy'; }, 1500);
  }));
}

async function start() {
  try {
    state.info = await api('GET', '/console/api/info');
  } catch (e) {
    status(e.message, true);
    return;
  }
  $('#logout-form').hidden = !state.info.token_required;
  $('#zone').value = state.info.default_zone;
  $('#sched-zone').value = state.info.default_zone;
  $('#sched-date').value = today();
  $('#listener-key').value = state.info.user_key;
  fillLocales();
  copyButtons();
  setUpPlayer();
  setUpForget();
  $('#talk-form').addEventListener('submit', talk);
  $('#new-conversation').addEventListener('click', () => {
    state.conversation = null;
    $('#conversation-id').textContent = 'none yet';
    $('#transcript').replaceChildren();
  });
  $('#schedule-form').addEventListener('submit', loadSchedule);
  $('#sched-genre').addEventListener('change', filterGrid);
  $('#sched-search').addEventListener('input', filterGrid);
  $('#upload-form').addEventListener('submit', upload);
  $('#listener-form').addEventListener('submit', loadListener);
  setUpTabs();
  document.body.dataset.ready = 'true';
}

document.addEventListener('DOMContentLoaded', start);
