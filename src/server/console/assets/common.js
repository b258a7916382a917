// onair console, shared helpers and the tabs. The panels' scripts follow (talk.js, player.js,
// schedule.js, sources.js, listener.js) and start.js wires them up. Plain scripts, no framework,
// no build step. Text from the server is always set with
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
