package io.etcdj.server.tls;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;

/**
 * How Go's {@code x509.ParseCRL} (which etcd 3.4 runs on --client-crl-file / --peer-crl-file for
 * every connection) reads a revocation list, as far as its refusals start: a file that begins
 * with "-----BEGIN X509 CRL" and holds such a PEM block is read as that block's DER bytes, any
 * other file as DER; the DER must be one ASN.1 SEQUENCE (Go's {@code encoding/asn1} rules for
 * the outermost tag and length: minimal, definite lengths) with nothing after it (checked once its
 * inside parsed). The texts are
 * encoding/asn1's and crypto/x509's ("asn1: syntax error: sequence truncated", "asn1: structure
 * error: tags don't match (16 vs {class:.. tag:.. length:.. isCompound:..}) {...} CertificateList
 * @N", "x509: trailing data after CRL"). What lies inside the outer SEQUENCE is left to the
 * caller's parser.
 */
final class GoCrlDecoding {
    private static final byte[] PEM_PREFIX = "-----BEGIN X509 CRL".getBytes(StandardCharsets.US_ASCII);
    private static final int SEQUENCE = 16;
    /** {@code %+v} of encoding/asn1's field parameters for a field without a tag. */
    private static final String NO_PARAMETERS = "{optional:false explicit:false application:false private:false "
            + "defaultValue:<nil> tag:<nil> stringType:0 timeType:0 set:false omitEmpty:false}";

    private GoCrlDecoding() {
    }

    /** The DER bytes Go parses: a leading "X509 CRL" PEM block's contents, else the file itself. */
    static byte[] der(byte[] file) {
        if (!startsWith(file, PEM_PREFIX)) {
            return file;
        }
        String text = new String(file, StandardCharsets.US_ASCII);
        String begin = "-----BEGIN X509 CRL-----";
        String end = "-----END X509 CRL-----";
        int from = text.indexOf('\n');
        int to = text.indexOf(end);
        if (!text.startsWith(begin) || from < 0 || to < from) {
            return file; // no block: Go parses the file as DER
        }
        try {
            return Base64.getMimeDecoder().decode(text.substring(from + 1, to).strip());
        } catch (IllegalArgumentException notBase64) {
            return file;
        }
    }

    /** Go's refusal of {@code der} at its outer SEQUENCE, or empty when that much is sound. */
    static Optional<String> outerRefusal(byte[] der) {
        if (der.length == 0) {
            return Optional.of(syntax("sequence truncated"));
        }
        int at = 0;
        int first = der[at++] & 0xff;
        int tagClass = first >> 6;
        boolean compound = (first & 0x20) != 0;
        long tag = first & 0x1f;
        if (tag == 0x1f) {
            long value = 0;
            for (int shifted = 0; ; shifted++) {
                if (at >= der.length) {
                    return Optional.of(syntax("truncated base 128 integer"));
                }
                if (shifted == 5) {
                    return Optional.of(structure("base 128 integer too large"));
                }
                int b = der[at] & 0xff;
                if (shifted == 0 && b == 0x80) {
                    return Optional.of(syntax("integer is not minimally encoded"));
                }
                value = (value << 7) | (b & 0x7f);
                at++;
                if ((b & 0x80) == 0) {
                    break;
                }
            }
            if (value > Integer.MAX_VALUE) {
                return Optional.of(structure("base 128 integer too large"));
            }
            if (value < 0x1f) {
                return Optional.of(syntax("non-minimal tag"));
            }
            tag = value;
        }
        if (at >= der.length) {
            return Optional.of(syntax("truncated tag or length"));
        }
        int b = der[at++] & 0xff;
        long length;
        if ((b & 0x80) == 0) {
            length = b;
        } else {
            int lengthBytes = b & 0x7f;
            if (lengthBytes == 0) {
                return Optional.of(syntax("indefinite length found (not DER)"));
            }
            length = 0;
            for (int i = 0; i < lengthBytes; i++) {
                if (at >= der.length) {
                    return Optional.of(syntax("truncated tag or length"));
                }
                if (length >= 1 << 23) {
                    return Optional.of(structure("length too large"));
                }
                length = (length << 8) | (der[at++] & 0xff);
                if (length == 0) {
                    return Optional.of(structure("superfluous leading zeros in length"));
                }
            }
            if (length < 0x80) {
                return Optional.of(structure("non-minimal length"));
            }
        }
        if (tagClass != 0 || tag != SEQUENCE || !compound) {
            return Optional.of(structure("tags don't match (" + SEQUENCE + " vs {class:" + tagClass + " tag:" + tag
                    + " length:" + length + " isCompound:" + compound + "}) " + NO_PARAMETERS + " CertificateList @" + at));
        }
        if (length > der.length - at) {
            return Optional.of(syntax("data truncated"));
        }
        return Optional.empty();
    }

    /**
     * Go's refusal of bytes after the outer SEQUENCE of {@code der}, whose inside parsed (Go
     * checks this last); {@code der} passed {@link #outerRefusal}.
     */
    static Optional<String> trailingRefusal(byte[] der) {
        int at = 1;
        if ((der[0] & 0x1f) == 0x1f) {
            while ((der[at++] & 0x80) != 0) {
                // the rest of a long tag
            }
        }
        int b = der[at++] & 0xff;
        long length = b;
        if ((b & 0x80) != 0) {
            length = 0;
            for (int i = 0; i < (b & 0x7f); i++) {
                length = (length << 8) | (der[at++] & 0xff);
            }
        }
        return at + length < der.length ? Optional.of("x509: trailing data after CRL") : Optional.empty();
    }

    private static String syntax(String message) {
        return "asn1: syntax error: " + message;
    }

    private static String structure(String message) {
        return "asn1: structure error: " + message;
    }

    private static boolean startsWith(byte[] bytes, byte[] prefix) {
        return bytes.length >= prefix.length && Arrays.equals(bytes, 0, prefix.length, prefix, 0, prefix.length);
    }
}
