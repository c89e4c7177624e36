package io.etcdj.server.tls;

import io.netty.handler.ssl.NotSslRecordException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A failed server-side TLS handshake described in the words Go's crypto/tls uses, so the
 * "rejected connection" warning reads as etcd's does for the cases operators meet: plaintext to
 * a TLS port, no client certificate, one from another CA, an expired one, an old TLS version.
 * Anything else keeps the JDK's message.
 */
final class GoTlsErrors {
    private static final String VERIFY = "tls: failed to verify client certificate: ";
    private static final Pattern OFFERED_VERSIONS =
            Pattern.compile("protocol versions \\[([^]]*)]|requested protocol (\\S+) is not enabled");
    private static final Pattern JDK_DATE = Pattern.compile("(NotAfter|NotBefore): (.*)");
    private static final DateTimeFormatter JDK_CERT_DATE =
            DateTimeFormatter.ofPattern("EEE MMM dd HH:mm:ss zzz yyyy", Locale.ROOT);
    private static final Map<String, String> VERSION_CODES = Map.of(
            "SSLv3", "300", "TLSv1", "301", "TLSv1.1", "302", "TLSv1.2", "303", "TLSv1.3", "304");
    /** Java's alert names → Go's alert texts (crypto/tls alert.go). */
    private static final Map<String, String> ALERTS = Map.of(
            "bad_certificate", "bad certificate",
            "unknown_ca", "unknown certificate authority",
            "certificate_unknown", "unknown certificate",
            "certificate_expired", "expired certificate",
            "handshake_failure", "handshake failure",
            "protocol_version", "protocol version not supported",
            "decrypt_error", "error decrypting message",
            "internal_error", "internal error");

    private GoTlsErrors() {}

    static String describe(Throwable failure, Instant now) {
        // Netty's NotSslRecordException or gRPC's shaded copy of it
        String notTls = NotSslRecordException.class.getSimpleName();
        if (find(failure, t -> t.getClass().getSimpleName().equals(notTls)) != null) {
            return "tls: first record does not look like a TLS handshake";
        }
        Throwable expired = find(failure, t -> t instanceof CertificateExpiredException
                || t instanceof CertificateNotYetValidException);
        if (expired != null) {
            return VERIFY + "x509: certificate has expired or is not yet valid: " + validity(expired.getMessage(), now);
        }
        if (find(failure, t -> t instanceof CertPathValidatorException || t instanceof CertPathBuilderException)
                != null) {
            return VERIFY + "x509: certificate signed by unknown authority";
        }
        String message = String.valueOf(failure.getMessage());
        if (message.contains("Empty client certificate chain") || message.contains("null cert chain")
                || message.contains("PEER_DID_NOT_RETURN_A_CERTIFICATE")) { // the JDK's words, OpenSSL's
            return "tls: client didn't provide a certificate";
        }
        if (message.contains("no cipher suites in common") || message.contains("NO_SHARED_CIPHER")) {
            return "tls: no cipher suite supported by both client and server";
        }
        Matcher versions = OFFERED_VERSIONS.matcher(message);
        if (versions.find()) {
            StringBuilder codes = new StringBuilder();
            String offered = versions.group(1) != null ? versions.group(1) : versions.group(2);
            for (String v : offered.split(",\\s*")) {
                codes.append(codes.length() == 0 ? "" : " ").append(VERSION_CODES.getOrDefault(v.trim(), v.trim()));
            }
            return "tls: client offered only unsupported versions: [" + codes + "]";
        }
        if (message.startsWith("Received fatal alert: ")) {
            String alert = message.substring("Received fatal alert: ".length());
            return "remote error: tls: " + ALERTS.getOrDefault(alert, alert.replace('_', ' '));
        }
        return message;
    }

    /** The first throwable of {@code failure}'s cause chain that {@code matches}, or null. */
    private static Throwable find(Throwable failure, Predicate<Throwable> matches) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (matches.test(t)) {
                return t;
            }
        }
        return null;
    }

    /** "current time T is after NotAfter" (or before NotBefore), times as Go's RFC 3339 in UTC. */
    private static String validity(String jdkMessage, Instant now) {
        String current = rfc3339(now);
        Matcher m = JDK_DATE.matcher(String.valueOf(jdkMessage));
        if (!m.find()) {
            return "current time " + current;
        }
        String bound;
        try {
            bound = rfc3339(ZonedDateTime.parse(m.group(2).trim(), JDK_CERT_DATE).toInstant());
        } catch (DateTimeParseException e) {
            bound = m.group(2).trim();
        }
        return "current time " + current + (m.group(1).equals("NotAfter") ? " is after " : " is before ") + bound;
    }

    private static String rfc3339(Instant t) {
        return DateTimeFormatter.ISO_INSTANT.format(t.truncatedTo(ChronoUnit.SECONDS).atOffset(ZoneOffset.UTC));
    }
}
