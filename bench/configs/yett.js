// yett 0.1.13 (a script blocker only, no banner): a blacklist of the hosts of
// www/cookies.json's services, set before yett.min.js loads, both first in
// <head>, as yett's README shows. Each pattern matches the host and its
// subdomains on whole labels.
window.YETT_BLACKLIST = [
  /^[a-z]+:\/\/([^\/?#]*\.)?(google-analytics\.com|googletagmanager\.com)(:\d+)?([\/?#]|$)/,
  /^[a-z]+:\/\/([^\/?#]*\.)?(doubleclick\.net|googlesyndication\.com|googleadservices\.com)(:\d+)?([\/?#]|$)/,
  /^[a-z]+:\/\/([^\/?#]*\.)?(youtube\.com|youtube-nocookie\.com|youtu\.be|ytimg\.com|googlevideo\.com)(:\d+)?([\/?#]|$)/,
  /^[a-z]+:\/\/([^\/?#]*\.)?(twitter\.com|twimg\.com|x\.com|t\.co)(:\d+)?([\/?#]|$)/,
];
