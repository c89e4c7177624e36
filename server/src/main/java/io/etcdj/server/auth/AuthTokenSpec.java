package io.etcdj.server.auth;

import io.etcdj.server.config.GoDuration;
import io.etcdj.server.tls.PemFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * --auth-token: "simple" or "jwt,pub-key=FILE,priv-key=FILE,sign-method=ALG[,ttl=DURATION]"
 * (options as comma-separated key=value pairs; unknown keys are ignored, a repeated key or an
 * item without one "=" is refused, as etcd does). Start-up fails with etcd's words:
 * "auth: invalid auth options" for a bad spec, an unknown sign method, an unreadable file or a
 * bad ttl; "auth: missing key data" when neither key is given.
 */
public final class AuthTokenSpec {
    public static final String INVALID_OPTIONS = "auth: invalid auth options";
    public static final String MISSING_KEY = "auth: missing key data";
    /** etcd's default lifetime of a JWT. */
    public static final Duration DEFAULT_JWT_TTL = Duration.ofMinutes(5);

    /** Why the member cannot start with this --auth-token. */
    public static final class InvalidAuthToken extends Exception {
        public InvalidAuthToken(String message) {
            super(message);
        }
    }

    private AuthTokenSpec() {}

    /** The provider the spec names; simple tokens live {@code simpleTtl} (--auth-token-ttl) without use. */
    public static TokenProvider provider(String spec, Duration simpleTtl) throws InvalidAuthToken {
        String[] items = spec.split(",", -1);
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 1; i < items.length; i++) {
            String[] kv = items[i].split("=", -1);
            if (kv.length != 2 || options.putIfAbsent(kv[0], kv[1]) != null) {
                throw new InvalidAuthToken(INVALID_OPTIONS);
            }
        }
        return switch (items[0]) {
            case "simple" -> new SimpleTokens(simpleTtl, System::nanoTime);
            case "jwt" -> jwt(options);
            default -> throw new InvalidAuthToken(INVALID_OPTIONS);
        };
    }

    private static TokenProvider jwt(Map<String, String> options) throws InvalidAuthToken {
        Duration ttl = DEFAULT_JWT_TTL;
        String ttlText = options.getOrDefault("ttl", "");
        if (!ttlText.isEmpty()) {
            try {
                ttl = GoDuration.parse(ttlText);
            } catch (IllegalArgumentException e) {
                throw new InvalidAuthToken(INVALID_OPTIONS);
            }
        }
        String pubFile = options.getOrDefault("pub-key", "");
        String privFile = options.getOrDefault("priv-key", "");
        for (String f : new String[] {pubFile, privFile}) {
            if (!f.isEmpty() && !Files.isReadable(Path.of(f))) {
                throw new InvalidAuthToken(INVALID_OPTIONS);
            }
        }
        JwtTokens.Method method = JwtTokens.Method.named(options.getOrDefault("sign-method", ""));
        if (method == null) {
            throw new InvalidAuthToken(INVALID_OPTIONS);
        }
        if (pubFile.isEmpty() && privFile.isEmpty()) {
            throw new InvalidAuthToken(MISSING_KEY);
        }
        try {
            if (method.isHmac()) { // the "private key" file holds the shared secret
                byte[] secret = Files.readAllBytes(Path.of(privFile.isEmpty() ? pubFile : privFile));
                return JwtTokens.hmac(method, secret, ttl);
            }
            PrivateKey priv = privFile.isEmpty() ? null : PemFiles.privateKey(Path.of(privFile));
            PublicKey pub = pubFile.isEmpty() ? null : PemFiles.publicKey(Path.of(pubFile));
            return JwtTokens.asymmetric(method, pub, priv, ttl);
        } catch (IOException | IllegalArgumentException e) {
            throw new InvalidAuthToken("auth: cannot use the keys for sign-method " + method + ": " + e.getMessage());
        }
    }
}
