package io.etcdj.etcdctl.client;

import io.etcdj.server.tls.GoPathError;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * etcdctl's checks of --cert, --key and --cacert before it dials (etcd's TLSInfo.ClientConfig),
 * failing with Go's texts: both of cert and key or neither; each file readable (cert, key, then
 * CA); the cert file holds a CERTIFICATE block and the key file a "... PRIVATE KEY" block. The
 * contents of the blocks are left to the TLS library.
 */
final class ClientTlsFiles {
    private static final Pattern PEM_BLOCK = Pattern.compile("-----BEGIN ([^\\n]*?)-----\\n.*?-----END \\1-----",
            Pattern.DOTALL);

    private ClientTlsFiles() {}

    /** Throws IllegalArgumentException with Go's message for the first fault found. */
    static void check(ClientConfig c) {
        if (c.cert() != null || c.key() != null) {
            if (c.cert() == null || c.key() == null) {
                throw new IllegalArgumentException("KeyFile and CertFile must both be present[key: "
                        + orEmpty(c.key()) + ", cert: " + orEmpty(c.cert()) + "]");
            }
            List<String> certTypes = pemTypes(read(c.cert()));
            List<String> keyTypes = pemTypes(read(c.key()));
            checkCertificateInput(certTypes);
            checkKeyInput(keyTypes);
        }
        if (c.cacert() != null) {
            read(c.cacert());
        }
    }

    /** Whether the file holds any PEM block (Go's pool from a file without one is empty, not an error). */
    static boolean hasPemData(String file) {
        return !pemTypes(read(file)).isEmpty();
    }

    private static void checkCertificateInput(List<String> types) {
        if (types.contains("CERTIFICATE")) {
            return;
        }
        if (types.isEmpty()) {
            throw new IllegalArgumentException("tls: failed to find any PEM data in certificate input");
        }
        if (types.size() == 1 && types.get(0).endsWith("PRIVATE KEY")) {
            throw new IllegalArgumentException("tls: failed to find certificate PEM data in certificate input, "
                    + "but did find a private key; PEM inputs may have been switched");
        }
        throw new IllegalArgumentException("tls: failed to find \"CERTIFICATE\" PEM block in certificate input "
                + "after skipping PEM blocks of the following types: " + goList(types));
    }

    private static void checkKeyInput(List<String> types) {
        List<String> skipped = new ArrayList<>();
        for (String t : types) {
            if (t.equals("PRIVATE KEY") || t.endsWith(" PRIVATE KEY")) {
                return;
            }
            skipped.add(t);
        }
        if (skipped.isEmpty()) {
            throw new IllegalArgumentException("tls: failed to find any PEM data in key input");
        }
        if (skipped.size() == 1 && skipped.get(0).equals("CERTIFICATE")) {
            throw new IllegalArgumentException("tls: found a certificate rather than a key in the PEM for the private key");
        }
        throw new IllegalArgumentException("tls: failed to find PEM block with type ending in \"PRIVATE KEY\" "
                + "in key input after skipping PEM blocks of the following types: " + goList(skipped));
    }

    private static byte[] read(String file) {
        try {
            return GoPathError.readFile(Path.of(file), file);
        } catch (IOException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    private static List<String> pemTypes(byte[] content) {
        List<String> types = new ArrayList<>();
        Matcher m = PEM_BLOCK.matcher(new String(content, StandardCharsets.ISO_8859_1));
        while (m.find()) {
            types.add(m.group(1));
        }
        return types;
    }

    /** Go's %v of a []string: "[A B]". */
    private static String goList(List<String> items) {
        return "[" + String.join(" ", items) + "]";
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }
}
