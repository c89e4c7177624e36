package io.etcdj.server.tls;

import java.io.IOException;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaMiscPEMGenerator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Test certificates as an operator makes them with cfssl or openssl: a CA, and leaf
 * certificates it signs for 127.0.0.1–3 (serverAuth and clientAuth), keys written as PKCS#1
 * "RSA PRIVATE KEY" PEM like cfssl's etcd-key.pem.
 */
public final class TestPki {
    public final Path caCert;
    private final KeyPair caKeys;
    private final X500Name caName = new X500Name("CN=etcdj-test-ca");
    private final Path dir;

    public TestPki(Path dir) throws Exception {
        this.dir = dir;
        Files.createDirectories(dir);
        caKeys = rsa();
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(caName, BigInteger.ONE, notBefore(), notAfter(),
                caName, caKeys.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        caCert = dir.resolve("ca.pem");
        write(caCert, b.build(new JcaContentSignerBuilder("SHA256withRSA").build(caKeys.getPrivate())));
    }

    /** Writes {name}.pem and {name}-key.pem signed by the CA; returns {cert, key}. */
    public Path[] leaf(String name, String commonName) throws Exception {
        KeyPair keys = rsa();
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(caName,
                BigInteger.valueOf(System.nanoTime()), notBefore(), notAfter(), new X500Name("CN=" + commonName),
                keys.getPublic());
        b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                new GeneralName(GeneralName.iPAddress, "127.0.0.1"), new GeneralName(GeneralName.iPAddress, "127.0.0.2"),
                new GeneralName(GeneralName.iPAddress, "127.0.0.3"), new GeneralName(GeneralName.dNSName, "localhost")}));
        b.addExtension(Extension.extendedKeyUsage, false,
                new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
        X509CertificateHolder cert = b.build(new JcaContentSignerBuilder("SHA256withRSA").build(caKeys.getPrivate()));
        Path certFile = dir.resolve(name + ".pem");
        Path keyFile = dir.resolve(name + "-key.pem");
        write(certFile, cert);
        writePkcs1(keyFile, keys.getPrivate());
        return new Path[] {certFile, keyFile};
    }

    private static KeyPair rsa() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        return g.generateKeyPair();
    }

    private static Date notBefore() {
        return Date.from(Instant.now().minusSeconds(3600));
    }

    private static Date notAfter() {
        return Date.from(Instant.now().plus(Duration.ofDays(30)));
    }

    private static void write(Path file, Object pem) throws IOException {
        try (Writer w = Files.newBufferedWriter(file); JcaPEMWriter out = new JcaPEMWriter(w)) {
            out.writeObject(pem);
        }
    }

    /** JcaMiscPEMGenerator writes an RSA private key in its traditional PKCS#1 form. */
    private static void writePkcs1(Path file, PrivateKey key) throws IOException {
        try (Writer w = Files.newBufferedWriter(file); JcaPEMWriter out = new JcaPEMWriter(w)) {
            out.writeObject(new JcaMiscPEMGenerator(key));
        }
    }
}
