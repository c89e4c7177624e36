package io.etcdj.server.v2.http;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * HTTP basic credentials as Go's Request.BasicAuth reads them: "Basic " (any case), standard
 * base64 with padding, user and password split at the first colon. toString never shows the password.
 */
record BasicCredentials(String user, String password) {
    private static final String SCHEME = "basic ";

    static Optional<BasicCredentials> parse(String authorization) {
        if (authorization == null || authorization.length() < SCHEME.length()
                || !authorization.substring(0, SCHEME.length()).equalsIgnoreCase(SCHEME)) {
            return Optional.empty();
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(authorization.substring(SCHEME.length())),
                    StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            return Optional.empty();
        }
        return Optional.of(new BasicCredentials(decoded.substring(0, colon), decoded.substring(colon + 1)));
    }

    @Override
    public String toString() {
        return "BasicCredentials[" + user + "]";
    }
}
