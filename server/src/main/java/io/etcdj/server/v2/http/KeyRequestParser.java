package io.etcdj.server.v2.http;

import io.etcdj.server.v2.store.V2Error;
import io.etcdj.server.v2.store.V2Request;
import io.etcdj.server.v2.store.V2StorePaths;

/**
 * Turns a /v2/keys request into a {@link V2Request}, checking parameters in etcd's order and with
 * etcd's error codes and causes (all with index 0: they never reach the store).
 */
final class KeyRequestParser {
    static final String KEYS_PREFIX = "/v2/keys";
    /** The store directory that holds the user key space. */
    static final String STORE_KEYS_PREFIX = "/1";

    /** The parsed request plus the one option that only affects the answer. */
    record Parsed(V2Request request, boolean noValueOnSuccess) {
    }

    private KeyRequestParser() {
    }

    static Parsed parse(V2HttpExchange ex, long nowNanos) {
        GoForm form;
        try {
            form = GoForm.parse(ex);
        } catch (GoForm.FormException e) {
            throw formError(V2Error.INVALID_FORM, e.getMessage());
        }
        String p = V2StorePaths.clean(STORE_KEYS_PREFIX + "/" + ex.path().substring(KEYS_PREFIX.length()));
        long prevIndex = uint(form, "prevIndex", V2Error.INDEX_NAN, "invalid value for \"prevIndex\"");
        long waitIndex = uint(form, "waitIndex", V2Error.INDEX_NAN, "invalid value for \"waitIndex\"");
        boolean recursive = bool(form, "recursive");
        boolean sorted = bool(form, "sorted");
        boolean wait = bool(form, "wait");
        boolean dir = bool(form, "dir");
        boolean quorum = bool(form, "quorum");
        boolean stream = bool(form, "stream");
        if (wait && !ex.method().equals("GET")) {
            throw formError(V2Error.INVALID_FIELD, "\"wait\" can only be used with GET requests");
        }
        String prevValue = form.get("prevValue");
        if (form.has("prevValue") && prevValue.isEmpty()) {
            throw formError(V2Error.PREV_VALUE_REQUIRED, "\"prevValue\" cannot be empty");
        }
        boolean noValueOnSuccess = bool(form, "noValueOnSuccess");
        Long ttl = null;
        if (!form.get("ttl").isEmpty()) {
            ttl = uint(form, "ttl", V2Error.TTL_NAN, "invalid value for \"ttl\"");
        }
        Boolean prevExist = null;
        if (form.has("prevExist")) {
            prevExist = boolOr(form, "prevExist", "invalid value for prevExist");
        }
        Boolean refresh = null;
        if (form.has("refresh")) {
            refresh = boolOr(form, "refresh", "invalid value for refresh");
            if (refresh) {
                if (form.has("value") && !form.get("value").isEmpty()) {
                    throw formError(V2Error.REFRESH_VALUE, "A value was provided on a refresh");
                }
                if (ttl == null) {
                    throw formError(V2Error.REFRESH_TTL_REQUIRED, "No TTL value set");
                }
            }
        }
        long expiration = 0;
        if (ttl != null) {
            expiration = nowNanos + ttl * 1_000_000_000L;
        }
        V2Request r = new V2Request(0, ex.method(), p, form.get("value"), dir, prevValue, prevIndex, prevExist,
                expiration, wait, waitIndex, recursive, sorted, quorum, nowNanos, stream, refresh);
        return new Parsed(r, noValueOnSuccess);
    }

    private static long uint(GoForm f, String key, int code, String cause) {
        try {
            return f.getUint64(key);
        } catch (NumberFormatException e) {
            throw formError(code, cause);
        }
    }

    private static boolean bool(GoForm f, String key) {
        return boolOr(f, key, "invalid value for \"" + key + "\"");
    }

    private static boolean boolOr(GoForm f, String key, String cause) {
        try {
            return f.getBool(key);
        } catch (NumberFormatException e) {
            throw formError(V2Error.INVALID_FIELD, cause);
        }
    }

    private static V2Error formError(int code, String cause) {
        return new V2Error(code, cause, 0);
    }
}
