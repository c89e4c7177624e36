package io.etcdj.server.v2random;

import java.util.List;

/**
 * One HTTP request of a randomized v2 run, sent as it is to both servers.
 *
 * @param method     the HTTP method
 * @param target     the request target: {@code /v2/keys/...} with its query string, as sent
 * @param form       the form body ({@code application/x-www-form-urlencoded}), or null for none
 * @param key        the key's segments as the store sees them (decoded); empty for the root
 * @param sorted     the request asked for sorted=true (a listing's order is then compared)
 * @param write      the request may change the store (its event, on success, is remembered)
 * @param refresh    a refresh: it changes the index but notifies no watcher and leaves no event
 * @param watchable  on success its event reaches watchers of the key and of its (non-hidden) parents
 * @param expiresAtOnce it sets a key with ttl=0, which the next expiry pass removes (at its own time
 *                   on each server: the run waits for both before going on)
 */
public record V2Step(String method, String target, String form, List<String> key, boolean sorted, boolean write,
                     boolean refresh, boolean watchable, boolean expiresAtOnce) {

    /** The key as the store names it: "/" and the decoded segments. */
    public String storeKey() {
        return "/" + String.join("/", key);
    }

    /** How the run prints it (and how a failure names it). */
    @Override
    public String toString() {
        return method + " " + target + (form == null ? "" : "  [form: " + form + "]");
    }
}
