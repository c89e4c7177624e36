package io.etcdj.server.tls;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.RSAPublicKeySpec;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.pkcs.RSAPublicKey;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * Reads the PEM files etcd is given: certificate chains and CA bundles (any number of
 * CERTIFICATE blocks) and private keys in every form openssl and cfssl write them (PKCS#8
 * "PRIVATE KEY", PKCS#1 "RSA PRIVATE KEY", SEC1 "EC PRIVATE KEY"). Errors name the file.
 */
public final class PemFiles {
    private PemFiles() {}

    public static List<X509Certificate> certificates(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            List<X509Certificate> certs = new ArrayList<>();
            for (var c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                certs.add((X509Certificate) c);
            }
            if (certs.isEmpty()) {
                throw new IOException("no certificate found in " + file);
            }
            return certs;
        } catch (CertificateException e) {
            throw new IOException("cannot read certificates from " + file + ": " + e.getMessage(), e);
        }
    }

    public static PrivateKey privateKey(Path file) throws IOException {
        try (Reader r = Files.newBufferedReader(file); PEMParser parser = new PEMParser(r)) {
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
                if (o instanceof PEMKeyPair pair) { // SEC1 or PKCS#1: the public key part may be absent
                    return converter.getPrivateKey(pair.getPrivateKeyInfo());
                }
                if (o instanceof PrivateKeyInfo info) {
                    return converter.getPrivateKey(info);
                }
            }
            throw new IOException("no private key found in " + file);
        }
    }

    /** A "PUBLIC KEY" (SubjectPublicKeyInfo) block, or the public key of a certificate. */
    public static PublicKey publicKey(Path file) throws IOException {
        try (Reader r = Files.newBufferedReader(file); PEMParser parser = new PEMParser(r)) {
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
                if (o instanceof SubjectPublicKeyInfo info) {
                    return converter.getPublicKey(info);
                }
                if (o instanceof X509CertificateHolder cert) {
                    return converter.getPublicKey(cert.getSubjectPublicKeyInfo());
                }
                if (o instanceof RSAPublicKey rsa) { // PKCS#1 "RSA PUBLIC KEY"
                    return KeyFactory.getInstance("RSA").generatePublic(
                            new RSAPublicKeySpec(rsa.getModulus(), rsa.getPublicExponent()));
                }
            }
            throw new IOException("no public key found in " + file);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot read the public key in " + file + ": " + e.getMessage(), e);
        }
    }
}
