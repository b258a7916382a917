// onair console: the Talk panel. Loaded after common.js, which holds the shared helpers.
'use strict';

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
