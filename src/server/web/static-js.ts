/**
 * The dashboard's only script, served as /static/app.js. Progressive enhancement only: a
 * select-all checkbox on the findings list, and a confirmation before a bulk triage or an
 * agent revocation. Every page works without it. It reads no page text into markup.
 */
export const APP_JS = `'use strict';
document.addEventListener('DOMContentLoaded', function () {
  var all = document.querySelector('input.pick-all');
  if (all) {
    all.hidden = false;
    all.addEventListener('change', function () {
      document.querySelectorAll('input.pick').forEach(function (b) { b.checked = all.checked; });
    });
  }
  document.querySelectorAll('form.bulk-form').forEach(function (f) {
    f.addEventListener('submit', function (ev) {
      var n = f.querySelectorAll('input.pick:checked').length;
      if (n === 0) { ev.preventDefault(); window.alert('Select at least one finding.'); return; }
      if (n > 1 && !window.confirm('Apply this change to ' + n + ' findings?')) ev.preventDefault();
    });
  });
  document.querySelectorAll('form.confirm').forEach(function (f) {
    f.addEventListener('submit', function (ev) {
      if (!window.confirm('Revoke this agent? It will no longer be able to upload reports.')) ev.preventDefault();
    });
  });
});
`;
