// onair console: the Schedule panel: the day grid and the stations. Loaded after common.js, which holds the shared helpers.
'use strict';

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
