package io.etcdj.server.tls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A CA made with the openssl command line as an operator makes one: leaf certificates with a
 * chosen CN and subjectAltNames (serverAuth and clientAuth), revocation through {@code openssl ca}
 * and a PEM CRL. Keys are PKCS#8 "PRIVATE KEY" PEM, as {@code openssl req -nodes} writes them.
 */
public final class OpenSslPki {
    private static final AtomicLong SERIAL = new AtomicLong(System.nanoTime() & 0xffffffffL);

    public final Path dir;
    public final Path caCert;

    public OpenSslPki(Path dir, String caName) throws Exception {
        this.dir = dir;
        Files.createDirectories(dir);
        caCert = dir.resolve(caName + ".pem");
        OpenSsl.run(dir, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", caName + "-key.pem",
                "-out", caName + ".pem", "-days", "30", "-subj", "/CN=" + caName);
        Files.writeString(dir.resolve(caName + ".cnf"), String.join("\n",
                "[ ca ]", "default_ca = CA_default", "[ CA_default ]", "dir = " + dir,
                "database = " + dir.resolve(caName + "-index.txt"), "crlnumber = " + dir.resolve(caName + "-crlnumber"),
                "certificate = " + caCert, "private_key = " + dir.resolve(caName + "-key.pem"), "default_md = sha256",
                "default_crl_days = 30", "new_certs_dir = " + dir, "policy = policy_any",
                "[ policy_any ]", "commonName = supplied", ""));
        Files.writeString(dir.resolve(caName + "-index.txt"), "");
        Files.writeString(dir.resolve(caName + "-crlnumber"), "01\n");
    }

    private String ca() {
        String f = caCert.getFileName().toString();
        return f.substring(0, f.length() - ".pem".length());
    }

    /** Writes {name}.pem and {name}-key.pem; {@code sans} like "IP:127.0.0.1" or "DNS:etcd.example". */
    public Path[] leaf(String name, String commonName, String... sans) throws Exception {
        String san = sans.length == 0 ? "IP:127.0.0.1,IP:127.0.0.2,IP:127.0.0.3,DNS:localhost" : String.join(",", sans);
        Files.writeString(dir.resolve(name + ".ext"),
                "subjectAltName=" + san + "\nextendedKeyUsage=serverAuth,clientAuth\n");
        OpenSsl.run(dir, "req", "-newkey", "rsa:2048", "-nodes", "-keyout", name + "-key.pem", "-out", name + ".csr",
                "-subj", "/CN=" + commonName);
        OpenSsl.run(dir, "x509", "-req", "-in", name + ".csr", "-CA", caCert.toString(), "-CAkey",
                ca() + "-key.pem", "-set_serial", String.valueOf(SERIAL.incrementAndGet()), "-out", name + ".pem",
                "-days", "30", "-extfile", name + ".ext");
        return new Path[] {dir.resolve(name + ".pem"), dir.resolve(name + "-key.pem")};
    }

    /** Marks the certificate revoked in the CA's database and (re)writes the CRL; returns its path. */
    public Path revoke(Path cert) throws Exception {
        OpenSsl.run(dir, "ca", "-config", ca() + ".cnf", "-revoke", cert.toString());
        return crl();
    }

    /** Writes the CA's current CRL to {ca}-crl.pem (replacing it atomically, as a rotation would). */
    public Path crl() throws Exception {
        Path tmp = dir.resolve(ca() + "-crl.tmp");
        OpenSsl.run(dir, "ca", "-config", ca() + ".cnf", "-gencrl", "-out", tmp.toString());
        Path crl = dir.resolve(ca() + "-crl.pem");
        Files.move(tmp, crl, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return crl;
    }

    /** Copies {@code from} over {@code to} atomically (a certificate rotation). */
    public static void replace(Path from, Path to) throws IOException {
        Path tmp = to.resolveSibling(to.getFileName() + ".new");
        Files.copy(from, tmp, StandardCopyOption.REPLACE_EXISTING);
        Files.move(tmp, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    public static List<String> pair(Path[] certAndKey) {
        return List.of(certAndKey[0].toString(), certAndKey[1].toString());
    }
}
