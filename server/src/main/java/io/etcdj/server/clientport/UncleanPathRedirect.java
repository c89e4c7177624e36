package io.etcdj.server.clientport;

import io.etcdj.server.v2.http.V2HttpExchange;
import io.etcdj.server.v2.http.V2HttpResponse;
import io.etcdj.server.v2.store.V2StorePaths;

/**
 * Go's ServeMux, which etcd serves its HTTP endpoints with, answers a request whose path is not
 * clean ({@code //}, {@code /./}, {@code /../}) with "301 Moved Permanently" to the cleaned path
 * (query kept), before any handler sees it: {@code PUT /v2/keys//a} writes nothing. A GET also gets
 * the small HTML body Go's http.Redirect writes.
 */
final class UncleanPathRedirect {
    private UncleanPathRedirect() {}

    /** Go's cleanPath: path.Clean, keeping one trailing slash. */
    static String clean(String path) {
        String p = path.startsWith("/") ? path : "/" + path;
        String cleaned = V2StorePaths.clean(p);
        if (p.endsWith("/") && !cleaned.equals("/")) {
            cleaned += "/";
        }
        return cleaned;
    }

    /** The redirect for {@code ex}, or null when its path is clean. */
    static V2HttpResponse of(V2HttpExchange ex) {
        String cleaned = clean(ex.path());
        if (cleaned.equals(ex.path()) || ex.method().equals("CONNECT")) {
            return null;
        }
        return to(ex.method(), cleaned, ex.rawQuery());
    }

    /** Go's http.Redirect with 301 to {@code path} (and the query, if any) for a {@code method} request. */
    static V2HttpResponse to(String method, String path, String rawQuery) {
        String location = rawQuery == null || rawQuery.isEmpty() ? path : path + "?" + rawQuery;
        V2HttpResponse r = new V2HttpResponse(301).header("Location", location);
        if (method.equals("GET") || method.equals("HEAD")) {
            r.header("Content-Type", "text/html; charset=utf-8");
        }
        if (method.equals("GET")) {
            r.body("<a href=\"" + htmlEscape(location) + "\">Moved Permanently</a>.\n\n");
        }
        return r;
    }

    private static String htmlEscape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&#34;")
                .replace("'", "&#39;");
    }
}
