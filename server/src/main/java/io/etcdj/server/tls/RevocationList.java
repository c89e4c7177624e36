package io.etcdj.server.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509CRLEntry;
import java.security.cert.X509Certificate;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * --client-crl-file / --peer-crl-file as etcd's TLS listener applies them: after each accepted
 * handshake (resumed or not), every certificate the client sent is looked up by serial number in
 * the file's revocation list, and a listed one closes the connection with "transport:
 * certificate serial &lt;hex&gt; revoked".
 *
 * <p>As etcd, the file is consulted for every connection: a revocation written while the member
 * runs counts from the next connection, and a file that is missing or unreadable refuses every
 * client that presents a certificate, with the reason (etcd reads it on each connection; here it
 * is re-parsed only when its modification time, size or inode changed); so does a file that does
 * not parse (empty, garbage, a certificate), with Go's reason. Neither stops start-up. Only serial
 * numbers are compared (neither the issuer nor the list's signature or dates), as Go's
 * {@code x509.ParseCRL} and etcd's check do.
 */
public final class RevocationList {
    private final String flagValue;
    private final Path file;
    /** The stamp of the file last parsed successfully, and its serials; null before the first. */
    private List<Object> stamp;
    private Set<BigInteger> serials;

    /** {@code flagValue}: the path as the flag gave it (etcd's error texts repeat it). */
    private RevocationList(String flagValue) {
        this.flagValue = flagValue;
        this.file = Path.of(flagValue);
    }

    /** Null when {@code flagValue} is empty (no revocation list configured). */
    static RevocationList of(String flagValue) {
        return flagValue.isEmpty() ? null : new RevocationList(flagValue);
    }

    /**
     * Why a connection whose client sent {@code chain} must be closed, in etcd's words, or null to
     * keep it. A client that sent no certificate is not checked.
     */
    public String refusal(List<X509Certificate> chain) {
        if (chain.isEmpty()) {
            return null;
        }
        Set<BigInteger> revoked;
        try {
            revoked = current();
        } catch (IOException e) {
            return e.getMessage();
        }
        for (X509Certificate c : chain) {
            if (revoked.contains(c.getSerialNumber().abs())) {
                return "transport: certificate serial " + goHex(c.getSerialNumber()) + " revoked";
            }
        }
        return null;
    }

    /** The revoked serials, re-read when the file changed; a failed read is not remembered. */
    private synchronized Set<BigInteger> current() throws IOException {
        List<Object> now = stamp();
        if (serials == null || !now.equals(stamp)) {
            serials = parse(read());
            stamp = now;
        }
        return serials;
    }

    private List<Object> stamp() throws IOException {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return List.of(a.lastModifiedTime().toMillis(), a.size(), Objects.toString(a.fileKey()));
        } catch (IOException e) {
            throw GoPathError.of(e, "open", file, flagValue);
        }
    }

    private byte[] read() throws IOException {
        return GoPathError.readFile(file, flagValue);
    }

    /**
     * The serials of the CRL in {@code file} (PEM or DER), or Go's refusal of it where the
     * outermost structure is wrong ({@link GoCrlDecoding}); a mistake further inside is told in
     * the JDK's words.
     */
    private Set<BigInteger> parse(byte[] file) throws IOException {
        byte[] der = GoCrlDecoding.der(file);
        String refusal = GoCrlDecoding.outerRefusal(der).orElse(null);
        if (refusal != null) {
            throw new IOException(refusal);
        }
        try {
            X509CRL crl = (X509CRL) CertificateFactory.getInstance("X.509")
                    .generateCRL(new ByteArrayInputStream(der));
            refusal = GoCrlDecoding.trailingRefusal(der).orElse(null);
            if (refusal != null) {
                throw new IOException(refusal);
            }
            Set<BigInteger> out = new HashSet<>();
            if (crl.getRevokedCertificates() != null) {
                for (X509CRLEntry e : crl.getRevokedCertificates()) {
                    out.add(e.getSerialNumber().abs());
                }
            }
            return out;
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new IOException("x509: cannot parse the revocation list " + flagValue + ": " + e.getMessage(), e);
        }
    }

    /** Go's {@code %x} of {@code serial.Bytes()}: two hex digits per byte of the magnitude, no sign byte. */
    static String goHex(BigInteger serial) {
        byte[] bytes = serial.abs().toByteArray();
        int from = bytes.length > 1 && bytes[0] == 0 ? 1 : 0;
        if (serial.signum() == 0) {
            return "";
        }
        return HexFormat.of().formatHex(bytes, from, bytes.length);
    }
}
