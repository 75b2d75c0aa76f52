vcl 4.1;

# Varnish 7 in front of gunicorn (README, « Cache et CDN »).
#
# Anonymous readers get the public pages from here; the newsroom (session cookie), a reader
# pinned to the primary database after one of their own posts, the administration and every
# method but GET/HEAD go through to the site. Pages are cached as long as the site says
# (Cache-Control: s-maxage), purged by surrogate key (xkey) when something they show changes,
# and served stale for up to a day when no backend answers.
#
# The test suites (tests/edge/, tests/resilience/test_web_nodes.py) start varnishd with this
# very file and nodes.sh's nodes on loopback; they only rewrite the probe's interval.

import cookie;
import std;
import directors;
import xkey;

probe healthz {
    # /healthz answers 200 when PostgreSQL answers and every migration is applied; it is
    # exempt from the HTTPS redirect.
    .request =
        "GET /healthz HTTP/1.1"
        "Host: localhost"
        "User-Agent: Varnish (sonde)"
        "Connection: close";
    .interval = 5s;
    .timeout = 3s;
    .window = 5;
    .threshold = 3;
    # Healthy from the start (docker compose starts Varnish once the site is healthy):
    # otherwise every request gets a 503 until the first probe has answered.
    .initial = 3;
}

# The web nodes: one backend per node, watched by the probe above, and the round-robin
# director "nodes" that leaves out the sick ones. Written by nodes.sh: start.sh runs it in
# docker compose with the address of every "web" replica (`--scale web=3`), the tests with
# their loopback ports.
include "nodes.vcl";

# Who may purge: the site and its task worker, on the purge listener only (`-a purge=:6082`,
# which the HTTPS proxy never forwards to). Docker compose's "edge" network, without the
# HTTPS proxy's own address; adjust to your network.
acl purgers {
    "localhost";
    "127.0.0.1";
    "::1";
    "172.30.80.0"/24;
    ! "172.30.80.2";
}

# The cookies the site reads; everything else (analytics, consent…) never reaches it.
# sessionid and csrftoken are Django's SESSION_COOKIE_NAME and CSRF_COOKIE_NAME,
# ae_lecture_primaire is actualites/replica.py's PIN_COOKIE.
sub vcl_recv {
    set req.backend_hint = nodes.backend();
    # Set below for the response header; never taken from the client.
    unset req.http.X-Cache;
    if (req.method == "PURGE") {
        call purge_keys;
    }
    if (std.healthy(req.backend_hint)) {
        # The site answers: a page past its lifetime is served while it is refreshed in
        # the background for at most this long (stale-while-revalidate, PAGE_CACHE_STALE_SECONDS).
        # When every backend is down, the object's whole grace applies (stale-if-error).
        set req.grace = 60s;
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    if (req.url ~ "^/admin(/|$)" || req.http.Authorization) {
        return (pass);
    }
    if (req.http.Cookie) {
        cookie.parse(req.http.Cookie);
        if (cookie.isset("sessionid") || cookie.isset("ae_lecture_primaire")) {
            # The newsroom sees fresh pages; a reader who has just posted sees their post.
            return (pass);
        }
        cookie.keep("sessionid,csrftoken,ae_lecture_primaire");
        set req.http.Cookie = cookie.get_string();
        if (req.http.Cookie == "") {
            unset req.http.Cookie;
        }
    }
    # The site speaks French only: one object per page, whatever the browser's languages.
    unset req.http.Accept-Language;
    # Campaign parameters the pages never read (the site's PAGE_CACHE_IGNORED_PARAMS), then the
    # rest in a fixed order: the story everyone shares stays one object.
    set req.url = regsuball(req.url, "(?i)([?&])(utm_[a-z]+|fbclid|gclid|mc_cid|mc_eid)=[^&]*", "\1");
    set req.url = regsuball(req.url, "&{2,}", "&");
    set req.url = regsub(req.url, "\?&", "?");
    set req.url = regsub(req.url, "[?&]$", "");
    set req.url = std.querysort(req.url);
    return (hash);
}

sub purge_keys {
    if (local.socket != "purge" || client.ip !~ purgers) {
        return (synth(403, "Forbidden"));
    }
    if (!req.http.xkey) {
        return (synth(400, "xkey header missing"));
    }
    # Gone at once (not soft): an unpublished article must not be served, even stale.
    set req.http.X-Purged = xkey.purge(req.http.xkey);
    return (synth(200, "Purged " + req.http.X-Purged));
}

sub vcl_hit {
    set req.http.X-Cache = "hit";
}

sub vcl_miss {
    set req.http.X-Cache = "miss";
}

sub vcl_pass {
    set req.http.X-Cache = "pass";
}

sub vcl_backend_response {
    # The site names what a page shows three ways (edge/keys.py); Varnish reads xkey only.
    unset beresp.http.Surrogate-Key;
    unset beresp.http.Cache-Tag;
    if (bereq.uncacheable) {
        return (deliver);
    }
    if (beresp.status >= 500 && bereq.is_bgfetch) {
        # Refreshing a page failed: keep serving the copy we have.
        return (abandon);
    }
    if (beresp.http.Set-Cookie
        || beresp.http.Cache-Control !~ "(?i)(^|[ ,])(public|s-maxage=[1-9])"
        || beresp.http.Cache-Control ~ "(?i)(private|no-store|no-cache)") {
        # Only what the site declares shareable is kept: search results, forms, the admin…
        # are not. Remembered as such for two minutes, so requests are not queued behind it.
        set beresp.ttl = 120s;
        set beresp.uncacheable = true;
        return (deliver);
    }
    # stale-if-error: how long a page may be served when every backend is down.
    set beresp.grace = std.duration(
        regsub(beresp.http.Cache-Control, "^.*stale-if-error=([0-9]+).*$", "\1s"), 1d);
    if (beresp.http.Content-Type ~ "^(text/|application/(rss\+xml|atom\+xml|xml|json|javascript))") {
        set beresp.do_gzip = true;
    }
    return (deliver);
}

sub vcl_deliver {
    # Surrogate keys are for Varnish and CDNs, not for browsers (xkey stays with the object,
    # where the purge finds it; a CDN in front of this Varnish would need these headers kept).
    unset resp.http.xkey;
    unset resp.http.Surrogate-Key;
    unset resp.http.Cache-Tag;
    set resp.http.X-Cache = req.http.X-Cache;
    if (req.http.X-Cache == "hit" && obj.ttl <= 0s) {
        set resp.http.X-Cache = "hit-stale";
    }
}

sub vcl_backend_error {
    # A node that died since its last probe: a read is asked of the next node at once. A post
    # is never sent twice: the node may have stored it before dying.
    if ((bereq.method == "GET" || bereq.method == "HEAD") && bereq.retries == 0) {
        return (retry);
    }
    set beresp.http.Content-Type = "text/html; charset=utf-8";
    set beresp.http.Retry-After = "30";
    synthetic({"<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><title>Site momentanément indisponible</title></head>
<body><h1>Actualités Express est momentanément indisponible</h1>
<p>Nous rétablissons le service&#8239;; merci de réessayer dans quelques instants.</p></body></html>
"});
    return (deliver);
}

sub vcl_synth {
    if (req.method == "PURGE") {
        set resp.http.Content-Type = "text/plain; charset=utf-8";
        synthetic(resp.reason + {"
"});
        return (deliver);
    }
}
