package io.etcdj.server.auth;

/**
 * Who makes a request, as far as auth is concerned (etcd's AuthInfo): the user its token names
 * and the auth store's revision when the token was resolved. A request authorized at an older
 * revision than the store's is refused with "revision of auth store is old".
 *
 * <p>{@link #ANONYMOUS} is a client without a token (refused with "user name is empty" while
 * auth is enabled); {@link #TRUSTED} is the member itself or an embedder, never checked.
 */
public record Caller(String user, long authRevision) {
    public static final Caller ANONYMOUS = new Caller("", 0);
    public static final Caller TRUSTED = new Caller(null, 0);

    public boolean trusted() {
        return user == null;
    }
}
