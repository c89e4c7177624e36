package io.etcdj.server.logging;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeps secrets out of log lines. Invariant: no value of a field whose name says it holds a
 * password, token, secret or private key is ever written, and text that carries one in a
 * {@code name: value} / {@code name=value} / {@code "name":"value"} shape (a protobuf's text
 * form, a flag, a JSON body) has the value replaced; so has a JWT wherever it stands. Applied by the layouts to every line, so a
 * careless log call cannot leak one.
 */
public final class SecretRedaction {
    /** What replaces a secret. */
    public static final String REDACTED = "<redacted>";

    /** Names of things that are not secret although they contain "token". */
    private static final Set<String> NOT_SECRET = Set.of(
            "initial-cluster-token", "initial_cluster_token", "auth-token", "auth-token-ttl");

    private static final Pattern SECRET_NAME = Pattern.compile(
            "password|passwd|token|secret|private[-_ ]?key|credential", Pattern.CASE_INSENSITIVE);

    /**
     * A secret word, the rest of its name, a separator, then a quoted or bare value. The pattern
     * starts at the secret word (the part of the name before it is found by scanning back), so
     * it runs in linear time on long runs of word characters.
     */
    private static final Pattern SECRET_IN_TEXT = Pattern.compile(
            "(?i)(?:password|passwd|token|secret|private[-_ ]?key)[\\w.-]*(\"?\\s*[:=]\\s*)"
                    + "(\"(?:[^\"\\\\]|\\\\.)*\"|[^\\s,;}\\]]+)");

    /** What every secret word of {@link #SECRET_IN_TEXT} starts with, in lower case. */
    private static final String[] SECRET_WORD_STARTS = {"passw", "token", "secret", "private"};

    private static final Pattern PEM_PRIVATE_KEY = Pattern.compile(
            "-----BEGIN [A-Z ]*PRIVATE KEY-----.*?(-----END [A-Z ]*PRIVATE KEY-----|$)", Pattern.DOTALL);

    /** A JWS in compact form (an --auth-token jwt token): a base64url JSON header, payload and signature. */
    private static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]{4,}\\.eyJ[A-Za-z0-9_-]*\\.[A-Za-z0-9_-]*");

    /** A bcrypt hash ("$2a$10$" + 53 characters), as the v2 auth records under /2 hold them. */
    private static final Pattern BCRYPT_HASH = Pattern.compile("\\$2[abxy]?\\$\\d{2}\\$[./A-Za-z0-9]{53}");

    private SecretRedaction() {}

    /** Whether a field of this name holds a secret. */
    public static boolean isSecretName(String name) {
        int start = 0;
        while (start < name.length() && name.charAt(start) == '-') {
            start++;
        }
        String bare = name.substring(start).toLowerCase(Locale.ROOT);
        return !NOT_SECRET.contains(bare) && SECRET_NAME.matcher(bare).find();
    }

    /** {@code text} with the value of every secret-named item, every PEM private key, JWT and bcrypt hash replaced. */
    public static String redactText(String text) {
        if (text == null || !mayHoldSecret(text)) {
            return text;
        }
        String out = PEM_PRIVATE_KEY.matcher(text).replaceAll(REDACTED);
        out = JWT.matcher(out).replaceAll(REDACTED);
        out = BCRYPT_HASH.matcher(out).replaceAll(REDACTED);
        Matcher m = SECRET_IN_TEXT.matcher(out);
        StringBuilder b = new StringBuilder();
        int copied = 0;
        while (m.find()) {
            int nameStart = m.start();
            while (nameStart > 0 && isNameChar(out.charAt(nameStart - 1))) {
                nameStart--;
            }
            if (isSecretName(out.substring(nameStart, m.start(1)))) {
                b.append(out, copied, m.start(2)).append(quotedLike(m.group(2)));
                copied = m.end(2);
            }
        }
        return b.append(out, copied, out.length()).toString();
    }

    /**
     * False only when none of the patterns can match: the text holds none of their fixed parts
     * (a secret word in any case, a PEM armour line, a JWT's or bcrypt hash's first characters).
     * Every line logged passes here, so this is one scan with no allocation.
     */
    static boolean mayHoldSecret(String text) {
        if (text.contains("-----BEGIN") || text.contains("eyJ") || text.contains("$2")) {
            return true;
        }
        for (int i = 0; i < text.length(); i++) {
            switch (text.charAt(i)) {
                case 'p', 'P', 't', 'T', 's', 'S' -> {
                    for (String word : SECRET_WORD_STARTS) {
                        if (text.regionMatches(true, i, word, 0, word.length())) {
                            return true;
                        }
                    }
                }
                default -> { }
            }
        }
        return false;
    }

    private static boolean isNameChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '.' || c == '-';
    }

    /** The value of a field named {@code name}, redacted when the name says it is secret. */
    public static Object redactField(String name, Object value) {
        if (isSecretName(name)) {
            return REDACTED;
        }
        return value instanceof String s ? redactText(s) : value;
    }

    private static String quotedLike(String value) {
        return value.startsWith("\"") ? "\"" + REDACTED + "\"" : REDACTED;
    }
}
