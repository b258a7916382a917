// onair console: wiring the panels up once the page is loaded. Loaded after common.js, which holds the shared helpers.
'use strict';

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
