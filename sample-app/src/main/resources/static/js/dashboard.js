// Refreshes the wiring dashboard in place: reads the JSON behind the page every few seconds
// and updates the cells. Text only (textContent), never HTML from the server.
(function () {
  'use strict';
  var table = document.getElementById('wiring');
  if (!table) {
    return;
  }
  var url = table.getAttribute('data-status-url');
  var seconds = parseInt(table.getAttribute('data-refresh-seconds'), 10) || 3;

  function pill(element, ok, text) {
    element.textContent = text;
    element.className = ok ? 'pill ok' : 'pill bad';
  }

  function cell(row, field, ok, text) {
    var td = row.querySelector('[data-field="' + field + '"]');
    if (ok !== null) {
      td.className = ok ? 'ok' : 'bad';
    }
    if (text !== null) {
      td.textContent = text;
    }
    return td;
  }

  function show(status) {
    pill(document.getElementById('overall'), status.allGreen, status.allGreen ? 'All wired' : 'Needs attention');
    pill(document.getElementById('health'), status.health === 'UP', status.health);
    document.getElementById('checked-at').textContent = status.checkedAt;
    var problems = document.getElementById('health-problems');
    problems.replaceChildren();
    status.healthProblems.forEach(function (problem) {
      var li = document.createElement('li');
      li.textContent = problem;
      problems.appendChild(li);
    });
    status.rows.forEach(function (secret) {
      var row = document.getElementById('row-' + secret.name);
      if (!row) {
        return;
      }
      row.className = (secret.present && secret.valid && secret.consumerOk) ? 'green' : 'red';
      cell(row, 'present', secret.present, secret.present ? 'yes' : 'no');
      cell(row, 'valid', secret.valid, secret.valid ? 'yes' : 'no: ' + secret.reason);
      var feeds = cell(row, 'feeds', null, null);
      feeds.replaceChildren();
      secret.feeds.forEach(function (feed) {
        var span = document.createElement('span');
        span.textContent = feed;
        feeds.appendChild(span);
      });
      var consumer = cell(row, 'consumer', secret.consumerOk, null);
      consumer.querySelector('[data-part="check"]').textContent = secret.check;
      consumer.querySelector('[data-part="detail"]').textContent = secret.detail;
      cell(row, 'lastChange', null, secret.lastChange);
      cell(row, 'lastRotation', null, secret.lastRotation);
    });
  }

  function refresh() {
    var problem = document.getElementById('refresh-problem');
    fetch(url, { headers: { 'Accept': 'application/json', 'X-Requested-With': 'XMLHttpRequest' }, credentials: 'same-origin' })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(response.status === 401 || response.status === 403
            ? 'Your session ended: reload the page to sign in again.'
            : 'The service answered HTTP ' + response.status + '.');
        }
        return response.json();
      })
      .then(function (status) {
        show(status);
        problem.hidden = true;
      })
      .catch(function (error) {
        problem.textContent = 'Refresh failed: ' + error.message + ' The rows show the last good reading.';
        problem.hidden = false;
      })
      .finally(function () {
        window.setTimeout(refresh, seconds * 1000);
      });
  }

  window.setTimeout(refresh, seconds * 1000);
}());
