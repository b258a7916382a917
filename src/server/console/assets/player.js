// onair console: the player: AudioPlayer directives in, device events out. Loaded after common.js, which holds the shared helpers.
'use strict';

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
