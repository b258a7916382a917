// onair console: the Listener panel. Loaded after common.js, which holds the shared helpers.
'use strict';

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
